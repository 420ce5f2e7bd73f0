#include "cli/list_page.h"

#include <iostream>
#include <limits>

#include "cli/output.h"

namespace shopctl::cli {

Result<PageRequest> parse_page(const std::string& from_text, const char* from_option, const std::string& limit_text) {
    PageRequest page;
    if (!from_text.empty()) {
        auto from = parse_int_argument(from_text, from_option, 0, std::numeric_limits<int64_t>::max());
        if (!from) return from.error();
        page.from_id = *from;
    }
    auto limit = parse_int_argument(limit_text, "--limit", 1, 1'000'000);
    if (!limit) return limit.error();
    page.limit = *limit;
    return page;
}

Result<ListFormat> parse_list_format_option(const service::Settings& settings, const std::string& text) {
    auto format = parse_list_format(text, {ListFormat::Table, ListFormat::Csv, ListFormat::Tsv});
    if (!format) return format.error();
    if (settings.json && *format != ListFormat::Table)
        return Error::Usage("--json and --format " + text + " do not go together: choose one");
    return *format;
}

namespace {
void write_next_page_note(std::ostream& out, int64_t limit, const char* option, std::optional<int64_t> next,
                          const char* which) {
    if (next) out << "(the " << which << ' ' << limit << " shown; the next page: " << option << ' ' << *next << ")\n";
}
}  // namespace

void print_delimited_page(ListFormat format, const std::vector<std::string>& columns, const Json& rows, int64_t limit,
                          const char* option, std::optional<int64_t> next, const char* which) {
    write_delimited_row(std::cout, format, columns);
    for (const Json& row : rows) write_delimited_row(std::cout, format, delimited_fields(row, columns));
    std::cout.flush();
    if (!quiet()) write_next_page_note(std::cerr, limit, option, next, which);
}

void print_next_page_note(int64_t limit, const char* option, std::optional<int64_t> next, const char* which) {
    write_next_page_note(std::cout, limit, option, next, which);
}

}  // namespace shopctl::cli
