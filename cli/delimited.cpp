#include "cli/delimited.h"

#include <algorithm>
#include <cctype>

namespace shopctl::cli {

namespace {

const char* format_name(ListFormat f) {
    switch (f) {
        case ListFormat::Table: return "table";
        case ListFormat::Csv: return "csv";
        case ListFormat::Tsv: return "tsv";
        case ListFormat::Jsonl: return "jsonl";
    }
    return "?";
}

void write_csv_field(std::ostream& out, const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) {
        out << field;
        return;
    }
    out << '"';
    for (char c : field) {
        if (c == '"') out << '"';
        out << c;
    }
    out << '"';
}

void write_tsv_field(std::ostream& out, const std::string& field) {
    for (char c : field) {
        switch (c) {
            case '\\': out << "\\\\"; break;
            case '\t': out << "\\t"; break;
            case '\n': out << "\\n"; break;
            case '\r': out << "\\r"; break;
            default: out << c;
        }
    }
}

}  // namespace

Result<ListFormat> parse_list_format(const std::string& text, const std::vector<ListFormat>& allowed) {
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string names;
    for (size_t i = 0; i < allowed.size(); ++i) {
        names += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + std::string(format_name(allowed[i]));
        if (lower == format_name(allowed[i])) return allowed[i];
    }
    return Error::InvalidInput("--format must be " + names + ", got " + quote_user_text(text));
}

void write_delimited_row(std::ostream& out, ListFormat format, const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
        if (format == ListFormat::Csv) {
            if (i) out << ',';
            write_csv_field(out, fields[i]);
        } else {
            if (i) out << '\t';
            write_tsv_field(out, fields[i]);
        }
    }
    out << (format == ListFormat::Csv ? "\r\n" : "\n");
}

std::vector<std::string> delimited_fields(const Json& object, const std::vector<std::string>& columns) {
    std::vector<std::string> fields;
    fields.reserve(columns.size());
    for (const std::string& column : columns) {
        const auto it = object.find(column);
        if (it == object.end() || it->is_null()) fields.emplace_back();
        else if (it->is_string()) fields.push_back(it->get<std::string>());
        else fields.push_back(it->dump());
    }
    return fields;
}

std::vector<std::string> columns_of(const Json& object) {
    std::vector<std::string> columns;
    for (auto it = object.begin(); it != object.end(); ++it) columns.push_back(it.key());
    return columns;
}

}  // namespace shopctl::cli
