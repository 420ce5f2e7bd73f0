// Strict reading of JSON input (carts, fixtures, scenarios). Every error names the
// field by its path ("items[1].quantity") and says what was wanted; unknown keys are
// refused so a typo never becomes a silent default. `ErrorMaker` picks the error code
// (INVALID_CART, INVALID_FIXTURE, ...).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace shopctl {

using Json = nlohmann::ordered_json;
using ErrorMaker = Error (*)(const std::string& field, const std::string& message);

// Deepest nesting of objects and arrays accepted in any input (SPEC.md section 3).
inline constexpr size_t kMaxJsonDepth = 64;

// Parses text as JSON; a syntax error names the line and column. Bounded input: a NUL
// byte, nesting deeper than kMaxJsonDepth or a key given twice in one object is refused
// before anything deeper is built.
Result<Json> parse_json_text(std::string_view text, ErrorMaker make_error, const std::string& what);

// User text fit for a one-line message: control characters (terminal escapes
// included) as \xNN, cut after max_bytes. quote_user_text adds single quotes.
std::string escape_control(std::string_view text, size_t max_bytes = 200);
std::string quote_user_text(std::string_view text, size_t max_bytes = 200);

// Joins a path and a key: "items[1]" + "quantity" -> "items[1].quantity".
std::string field_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, size_t index);

Status expect_object(const Json& value, const std::string& path, ErrorMaker make_error);
Status expect_array(const Json& value, const std::string& path, ErrorMaker make_error);
// Refuses any key of `object` not in `allowed`.
Status only_keys(const Json& object, const std::string& path, std::initializer_list<std::string_view> allowed,
                 ErrorMaker make_error);

// The member `key` of an object, or nullptr when absent.
const Json* find_key(const Json& object, std::string_view key);

// An integer in [min, max]; floats, strings and out-of-range numbers are refused.
Result<int64_t> read_integer(const Json& value, const std::string& path, int64_t min, int64_t max,
                             ErrorMaker make_error);
// A string whose length in characters (UTF-8 code points) is in [min_len, max_len].
Result<std::string> read_string(const Json& value, const std::string& path, size_t min_len, size_t max_len,
                                ErrorMaker make_error);

size_t utf8_length(std::string_view s);
std::string json_type_name(const Json& value);

}  // namespace shopctl
