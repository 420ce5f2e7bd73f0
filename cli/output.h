// Output conventions shared by every command: one JSON document on stdout with
// --json, a readable text otherwise; on failure a one-line `shopctl: CODE: message`
// on stderr (and the error JSON on stdout with --json); exit codes from SPEC.md
// section 5, mapped in exactly one place.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "core/json_reader.h"
#include "core/money.h"
#include "service/context.h"

namespace shopctl::cli {

int exit_code(ErrorCode code);

// "shopctl: <where>CODE: message" on stderr (where: "" or, say, "line 3: order 7: ").
void print_error_line(const Error& error, const std::string& where = "");

// Prints the error as the settings say and returns its exit code.
int report_error(const service::Settings& settings, const Error& error);
void print_json(const Json& document);
// `shopctl: warning: ...` on stderr, unless --quiet.
void warn(const std::string& message);

// --quiet: stderr carries errors only (no warnings, progress lines, summaries or
// notes); stdout is unchanged.
void set_quiet(bool quiet);
bool quiet();

// Parses a command-line integer argument (an id or an amount): INVALID_INPUT naming
// `what` when it is not an integer in [min, max].
Result<int64_t> parse_int_argument(const std::string& text, const std::string& what, int64_t min, int64_t max);

// Parses a status-like argument in any case: the one of `choices` (upper case) it
// names, or INVALID_INPUT listing them.
Result<std::string> parse_choice_argument(const std::string& text, const std::string& what,
                                          const std::vector<std::string>& choices);

// Colour only when stdout is a terminal and NO_COLOR is unset.
bool use_colour();

}  // namespace shopctl::cli
