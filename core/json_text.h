// JsonText: writes JSON text directly into a string. The receipt is written on every
// checkout (payload and output), where building a JSON tree first costs more than
// the SQL; this writer appends keys and values in order, escaping strings and
// replacing invalid UTF-8 so the output always parses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shopctl {

class JsonText {
public:
    JsonText& begin_object();
    JsonText& end_object();
    JsonText& begin_array();
    JsonText& end_array();
    JsonText& key(std::string_view k);
    JsonText& value(std::string_view s);
    JsonText& value(const char* s) { return value(std::string_view(s)); }
    JsonText& value(int64_t n);
    JsonText& value(bool b);
    JsonText& null();
    JsonText& raw(std::string_view json);  // an already-serialised value
    template <typename T>
    JsonText& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }
    template <typename T>
    JsonText& field(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }

    const std::string& str() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    void separate();
    std::string out_;
    bool need_comma_ = false;
};

void append_json_string(std::string& out, std::string_view s);

}  // namespace shopctl
