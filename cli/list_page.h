// One page of a long list (orders, outbox rows, products): --after or --before an id,
// --limit rows, and how to get the next page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/delimited.h"
#include "core/result.h"
#include "service/context.h"

namespace shopctl::cli {

struct PageRequest {
    std::optional<int64_t> from_id;  // --after (or --before) this id
    int64_t limit = 100;             // rows shown; the store is asked for one more
};

// Checks `from_text` (an id, empty when not given, named `from_option`) and
// `limit_text` (1 to 1,000,000): INVALID_INPUT naming the option when not.
Result<PageRequest> parse_page(const std::string& from_text, const char* from_option, const std::string& limit_text);

// Lists are read one row past the limit: whether there is a next page is then known
// without counting. Drops that extra row and returns the id to go on from (the last
// shown), or nothing when this page is the last.
template <typename Row, typename IdOf>
std::optional<int64_t> trim_to_page(std::vector<Row>& rows, int64_t limit, IdOf id_of) {
    if (static_cast<int64_t>(rows.size()) <= limit) return std::nullopt;
    rows.resize(static_cast<size_t>(limit));
    return id_of(rows.back());
}

// After a table that is one page of a longer list: how to get the next one. `which`
// says which rows the page holds: the "first" of the list, or the "latest" (a history
// shown oldest first whose earlier rows are the next page).
void print_next_page_note(int64_t limit, const char* option, std::optional<int64_t> next, const char* which = "first");

// A list's --format: table (the default), csv or tsv; USAGE with --json.
Result<ListFormat> parse_list_format_option(const service::Settings& settings, const std::string& text);

// A page as CSV or TSV on stdout: the header, then one row per object of `rows`.
// The next-page note goes to stderr, so the output stays a clean file.
void print_delimited_page(ListFormat format, const std::vector<std::string>& columns, const Json& rows, int64_t limit,
                          const char* option, std::optional<int64_t> next, const char* which = "first");

}  // namespace shopctl::cli
