#include "cli/pair_lines.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <unordered_map>

#include "cli/output.h"
#include "core/json_reader.h"

namespace shopctl::cli {

namespace {

// The fields of a line: split at runs of spaces and tabs, or at commas.
std::vector<std::string> fields_of(const std::string& text) {
    std::vector<std::string> fields;
    std::string field;
    bool in_field = false;
    const bool commas = text.find(',') != std::string::npos;
    for (char c : text) {
        const bool separator = commas ? c == ',' : (c == ' ' || c == '\t');
        if (separator) {
            if (commas || in_field) fields.push_back(field);
            field.clear();
            in_field = false;
        } else if (!(commas && (c == ' ' || c == '\t'))) {
            field += c;
            in_field = true;
        }
    }
    if (commas || in_field) fields.push_back(field);
    return fields;
}

struct Field {
    std::string name;
    int64_t max = 0;
};

struct IntLine {
    int64_t line = 0;
    std::vector<int64_t> values;  // one a field
};

Result<std::vector<IntLine>> read_stream(std::istream& in, const std::vector<Field>& fields) {
    std::string expected;
    for (const Field& f : fields) expected += (expected.empty() ? "" : " and ") + f.name;
    std::vector<IntLine> out;
    std::string text;
    int64_t number = 0;
    while (std::getline(in, text)) {
        ++number;
        if (!text.empty() && text.back() == '\r') text.pop_back();
        const auto start = text.find_first_not_of(" \t");
        if (start == std::string::npos || text[start] == '#') continue;
        const auto words = fields_of(text);
        const std::string where = "line " + std::to_string(number) + ": ";
        if (words.size() != fields.size())
            return Error::InvalidInput(where + "expected " + expected + ", got " + quote_user_text(text));
        IntLine line{number, {}};
        for (size_t i = 0; i < fields.size(); ++i) {
            auto value = parse_int_argument(words[i], where + fields[i].name, 1, fields[i].max);
            if (!value) return value.error();
            line.values.push_back(*value);
        }
        out.push_back(std::move(line));
    }
    if (in.bad()) return Error::InvalidInput("could not read the input to the end");
    return out;
}

Result<std::vector<IntLine>> read_lines(const std::string& path, const std::vector<Field>& fields) {
    if (path == "-") return read_stream(std::cin, fields);
    std::ifstream file(path, std::ios::binary);
    if (!file) return Error::InputNotFound(path);
    return read_stream(file, fields);
}

}  // namespace

Result<std::vector<PairLine>> read_pair_lines(const std::string& path, const std::string& first_name, int64_t first_max,
                                              const std::string& second_name, int64_t second_max) {
    auto lines = read_lines(path, {{first_name, first_max}, {second_name, second_max}});
    if (!lines) return lines.error();
    std::vector<PairLine> out;
    out.reserve(lines->size());
    for (const IntLine& l : *lines) out.push_back({l.line, l.values[0], l.values[1]});
    return out;
}

Result<std::vector<IdLine>> read_id_lines(const std::string& path, const std::string& name, int64_t max) {
    auto lines = read_lines(path, {{name, max}});
    if (!lines) return lines.error();
    std::vector<IdLine> out;
    out.reserve(lines->size());
    std::unordered_map<int64_t, int64_t> line_of;  // id -> the line it was first on
    for (const IntLine& l : *lines) {
        const auto [seen, fresh] = line_of.emplace(l.values[0], l.line);
        if (!fresh)
            return Error::InvalidInput("line " + std::to_string(l.line) + ": " + name + " " + std::to_string(l.values[0]) +
                                       " is on line " + std::to_string(seen->second) + " already");
        out.push_back({l.line, l.values[0]});
    }
    return out;
}

}  // namespace shopctl::cli
