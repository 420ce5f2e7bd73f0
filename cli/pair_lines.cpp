#include "cli/pair_lines.h"

#include <fstream>
#include <iostream>
#include <sstream>

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

Result<std::vector<PairLine>> read_stream(std::istream& in, const std::string& first_name, int64_t first_max,
                                          const std::string& second_name, int64_t second_max) {
    std::vector<PairLine> out;
    std::string text;
    int64_t number = 0;
    while (std::getline(in, text)) {
        ++number;
        if (!text.empty() && text.back() == '\r') text.pop_back();
        const auto start = text.find_first_not_of(" \t");
        if (start == std::string::npos || text[start] == '#') continue;
        const auto fields = fields_of(text);
        const std::string where = "line " + std::to_string(number) + ": ";
        if (fields.size() != 2)
            return Error::InvalidInput(where + "expected " + first_name + " and " + second_name + ", got " +
                                       quote_user_text(text));
        auto first = parse_int_argument(fields[0], where + first_name, 1, first_max);
        if (!first) return first.error();
        auto second = parse_int_argument(fields[1], where + second_name, 1, second_max);
        if (!second) return second.error();
        out.push_back({number, *first, *second});
    }
    if (in.bad()) return Error::InvalidInput("could not read the input to the end");
    return out;
}

}  // namespace

Result<std::vector<PairLine>> read_pair_lines(const std::string& path, const std::string& first_name, int64_t first_max,
                                              const std::string& second_name, int64_t second_max) {
    if (path == "-") return read_stream(std::cin, first_name, first_max, second_name, second_max);
    std::ifstream file(path, std::ios::binary);
    if (!file) return Error::InputNotFound(path);
    return read_stream(file, first_name, first_max, second_name, second_max);
}

}  // namespace shopctl::cli
