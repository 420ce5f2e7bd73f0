// Lists as CSV (RFC 4180) or TSV for spreadsheets and scripts: a header row of the
// JSON output's keys, then one row per object, values as in the JSON (integers without
// separators, null as an empty field).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "core/result.h"

namespace shopctl::cli {

enum class ListFormat { Table, Csv, Tsv, Jsonl };

// "table", "csv", "tsv" or "jsonl" (any case); `allowed` lists the ones this command takes.
Result<ListFormat> parse_list_format(const std::string& text, const std::vector<ListFormat>& allowed);

// One row. CSV: a field with a comma, quote, CR or LF is quoted, quotes doubled; rows
// end in CRLF. TSV: backslash, tab, LF and CR are written \\, \t, \n and \r; rows end
// in LF.
void write_delimited_row(std::ostream& out, ListFormat format, const std::vector<std::string>& fields);

// The fields of a JSON object, in `columns` order.
std::vector<std::string> delimited_fields(const Json& object, const std::vector<std::string>& columns);

// The keys of a JSON object, in order: the header of a list of such objects.
std::vector<std::string> columns_of(const Json& object);

}  // namespace shopctl::cli
