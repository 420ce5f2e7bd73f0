// The hand-written JSON writer: what it writes always parses, and means what was given.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "core/json_reader.h"
#include "core/json_text.h"

using shopctl::Json;
using shopctl::JsonText;

namespace {

std::string escaped(std::string_view s) {
    std::string out;
    shopctl::append_json_string(out, s);
    return out;
}

}  // namespace

TEST_CASE("strings: quote, backslash and control characters are escaped, plain text is copied") {
    CHECK(escaped("") == "\"\"");
    CHECK(escaped("Mug 12oz") == "\"Mug 12oz\"");
    CHECK(escaped("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(escaped("x\ny\tz\r\b\f") == "\"x\\ny\\tz\\r\\b\\f\"");
    CHECK(escaped(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
    CHECK(escaped(std::string("a\0b", 3)) == "\"a\\u0000b\"");
}

TEST_CASE("strings: valid UTF-8 is kept, a byte that is not UTF-8 becomes U+FFFD") {
    CHECK(escaped("머그컵 ☕ 𝄞") == "\"머그컵 ☕ 𝄞\"");
    CHECK(escaped("a\xff" "b") == "\"a\xEF\xBF\xBD" "b\"");
    CHECK(escaped("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");          // overlong '/'
    CHECK(escaped("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a surrogate
    CHECK(escaped("\xE2\x98") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");          // cut short at the end
}

TEST_CASE("strings: random bytes always give JSON that parses; valid UTF-8 reads back the same") {
    std::mt19937 rng(7);
    const std::string alphabet = std::string("ab \"\\\n\x01\x7f", 9) + "é☕" + "\xff\xc3";
    for (int round = 0; round < 5000; ++round) {
        std::string s;
        const int n = std::uniform_int_distribution<int>(0, 24)(rng);
        for (int k = 0; k < n; ++k) s += alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
        const std::string text = escaped(s);
        Json parsed;
        REQUIRE_NOTHROW(parsed = Json::parse(text));
        // Re-encoding what was read is stable: the output is its own fixed point.
        CHECK(escaped(parsed.get<std::string>()) == text);
        bool valid = true;
        try {
            (void)Json(s).dump();
        } catch (const Json::exception&) {
            valid = false;
        }
        if (valid) CHECK(parsed.get<std::string>() == s);
    }
}

TEST_CASE("objects: keys, integers at the extremes, booleans, nulls, nesting") {
    JsonText out;
    out.begin_object()
        .field("min", std::numeric_limits<int64_t>::min())
        .field("max", std::numeric_limits<int64_t>::max())
        .field("zero", int64_t{0})
        .field("ok", true)
        .field("none", std::optional<int64_t>())
        .key("list")
        .begin_array()
        .value(int64_t{-1})
        .value("x")
        .end_array()
        .end_object();
    CHECK(out.str() ==
          "{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"zero\":0,\"ok\":true,\"none\":null,"
          "\"list\":[-1,\"x\"]}");
    CHECK(Json::parse(out.str())["min"].get<int64_t>() == std::numeric_limits<int64_t>::min());
}
