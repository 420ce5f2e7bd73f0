#include "core/json_text.h"

#include <charconv>

namespace shopctl {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid.
size_t utf8_sequence(std::string_view s, size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

// Bytes that go out as they are: printable ASCII other than the quote and backslash.
bool plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static const char* kHex = "0123456789abcdef";
    out += '"';
    for (size_t i = 0; i < s.size();) {
        // Keys and most values are plain ASCII: copy each such run in one append.
        size_t run = i;
        while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
        out.append(s.data() + i, run - i);
        i = run;
        if (i == s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
            ++i;
        } else if (c < 0x20) {
            switch (c) {
                case '\n': out += "\\n"; break;
                case '\t': out += "\\t"; break;
                case '\r': out += "\\r"; break;
                case '\b': out += "\\b"; break;
                case '\f': out += "\\f"; break;
                default: out += "\\u00"; out += kHex[c >> 4]; out += kHex[c & 0xF];
            }
            ++i;
        } else if (const size_t n = utf8_sequence(s, i)) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
            ++i;
        }
    }
    out += '"';
}

void JsonText::separate() {
    if (need_comma_) out_ += ',';
}

JsonText& JsonText::begin_object() {
    separate();
    out_ += '{';
    need_comma_ = false;
    return *this;
}

JsonText& JsonText::end_object() {
    out_ += '}';
    need_comma_ = true;
    return *this;
}

JsonText& JsonText::begin_array() {
    separate();
    out_ += '[';
    need_comma_ = false;
    return *this;
}

JsonText& JsonText::end_array() {
    out_ += ']';
    need_comma_ = true;
    return *this;
}

JsonText& JsonText::key(std::string_view k) {
    separate();
    append_json_string(out_, k);
    out_ += ':';
    need_comma_ = false;
    return *this;
}

JsonText& JsonText::value(std::string_view s) {
    separate();
    append_json_string(out_, s);
    need_comma_ = true;
    return *this;
}

JsonText& JsonText::value(int64_t n) {
    separate();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out_.append(digits, end);
    need_comma_ = true;
    return *this;
}

JsonText& JsonText::value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    need_comma_ = true;
    return *this;
}

JsonText& JsonText::null() {
    separate();
    out_ += "null";
    need_comma_ = true;
    return *this;
}

JsonText& JsonText::raw(std::string_view json) {
    separate();
    out_.append(json);
    need_comma_ = true;
    return *this;
}

}  // namespace shopctl
