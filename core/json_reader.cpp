#include "core/json_reader.h"

#include <cstdio>

#include "core/suggest.h"
#include <limits>
#include <unordered_set>
#include <vector>

namespace shopctl {

namespace {

// Thrown from the parser's callback to stop at the first bound broken.
struct InputBoundBroken {
    std::string message;
};

// One open object or array while parsing: the keys seen so far, for duplicates.
struct OpenValue {
    bool object = false;
    std::unordered_set<std::string> keys;
};

}  // namespace

std::string escape_control(std::string_view text, size_t max_bytes) {
    std::string out;
    size_t shown = 0;
    for (unsigned char c : text) {
        if (shown++ == max_bytes) {
            out += "...";
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string quote_user_text(std::string_view text, size_t max_bytes) {
    std::string quoted(1, '\'');
    quoted += escape_control(text, max_bytes);
    quoted += '\'';
    return quoted;
}

Result<Json> parse_json_text(std::string_view text, ErrorMaker make_error, const std::string& what) {
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        return make_error("", what + " holds a NUL byte at offset " + std::to_string(nul) + ": it is not JSON text");
    std::vector<OpenValue> open;
    const auto bound = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) -> bool {
        switch (event) {
            case Json::parse_event_t::object_start:
            case Json::parse_event_t::array_start:
                if (open.size() >= kMaxJsonDepth)
                    throw InputBoundBroken{what + " nests deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
                open.push_back({event == Json::parse_event_t::object_start, {}});
                break;
            case Json::parse_event_t::object_end:
            case Json::parse_event_t::array_end:
                if (!open.empty()) open.pop_back();
                break;
            case Json::parse_event_t::key:
                if (!open.empty() && !open.back().keys.insert(parsed.get<std::string>()).second)
                    throw InputBoundBroken{what + " gives the key " + quote_user_text(parsed.get<std::string>()) +
                                           " twice in one object"};
                break;
            default:
                break;
        }
        return true;
    };
    try {
        return Json::parse(text.begin(), text.end(), bound);
    } catch (const InputBoundBroken& e) {
        return make_error("", e.message);
    } catch (const Json::exception& e) {
        // nlohmann prefixes "[json.exception.parse_error.101] "; the rest names line and column.
        std::string message = e.what();
        if (const auto pos = message.find("] "); pos != std::string::npos) message = message.substr(pos + 2);
        return make_error("", what + " is not valid JSON: " + escape_control(message, 300));
    }
}

std::string field_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

std::string json_type_name(const Json& value) {
    if (value.is_number_integer()) return "an integer";
    if (value.is_number_float()) return "a non-integer number";
    if (value.is_string()) return "a string";
    if (value.is_boolean()) return "a boolean";
    if (value.is_null()) return "null";
    if (value.is_array()) return "an array";
    if (value.is_object()) return "an object";
    return value.type_name();
}

Status expect_object(const Json& value, const std::string& path, ErrorMaker make_error) {
    if (!value.is_object())
        return make_error(path, "must be an object, got " + json_type_name(value));
    return ok_status();
}

Status expect_array(const Json& value, const std::string& path, ErrorMaker make_error) {
    if (!value.is_array())
        return make_error(path, "must be an array, got " + json_type_name(value));
    return ok_status();
}

Status only_keys(const Json& object, const std::string& path, std::initializer_list<std::string_view> allowed,
                 ErrorMaker make_error) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool known = false;
        for (auto key : allowed) known = known || it.key() == key;
        if (!known) {
            const std::string near = closest_word(it.key(), std::vector<std::string_view>(allowed));
            return make_error(field_path(path, it.key()),
                              near.empty() ? "unknown key" : "unknown key; did you mean '" + near + "'?");
        }
    }
    return ok_status();
}

const Json* find_key(const Json& object, std::string_view key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

Result<int64_t> read_integer(const Json& value, const std::string& path, int64_t min, int64_t max,
                             ErrorMaker make_error) {
    const std::string range = "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    int64_t v;
    if (value.is_number_unsigned()) {
        const auto u = value.get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return make_error(path, range);
        v = static_cast<int64_t>(u);
    } else if (value.is_number_integer()) {
        v = value.get<int64_t>();
    } else {
        return make_error(path, range + ", got " + json_type_name(value));
    }
    if (v < min || v > max) return make_error(path, range + ", got " + std::to_string(v));
    return v;
}

size_t utf8_length(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

Result<std::string> read_string(const Json& value, const std::string& path, size_t min_len, size_t max_len,
                                ErrorMaker make_error) {
    if (!value.is_string()) return make_error(path, "must be a string, got " + json_type_name(value));
    auto s = value.get<std::string>();
    const size_t len = utf8_length(s);
    if (len < min_len || len > max_len)
        return make_error(path, "must be " + std::to_string(min_len) + " to " + std::to_string(max_len) +
                                    " characters long, got " + std::to_string(len));
    return s;
}

}  // namespace shopctl
