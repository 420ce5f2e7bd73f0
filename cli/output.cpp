#include "cli/output.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstdio>
#include <iostream>

namespace shopctl::cli {

void print_error_line(const Error& error, const std::string& where) {
    // Messages quote user text (keys, keys of carts, paths): never raw terminal escapes.
    std::cerr << "shopctl: " << where << code_name(error.code) << ": " << escape_control(error.message, 2000) << '\n';
}

int report_error(const service::Settings& settings, const Error& error) {
    print_error_line(error);
    if (settings.json) print_json({{"error", error.to_json()}});
    return exit_code(error.code);
}

void print_json(const Json& document) {
    std::cout << document.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
}

namespace {
bool g_quiet = false;  // set once, from the command line, before the command runs
}  // namespace

void set_quiet(bool quiet) { g_quiet = quiet; }
bool quiet() { return g_quiet; }

void warn(const std::string& message) {
    if (!g_quiet) std::cerr << "shopctl: warning: " << escape_control(message, 2000) << '\n';
}

Result<int64_t> parse_int_argument(const std::string& text, const std::string& what, int64_t min, int64_t max) {
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        return Error::InvalidInput(what + " must be an integer from " + std::to_string(min) + " to " +
                                   std::to_string(max) + ", got '" + text + "'");
    return value;
}

Result<std::string> parse_choice_argument(const std::string& text, const std::string& what,
                                          const std::vector<std::string>& choices) {
    std::string upper = text;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (std::find(choices.begin(), choices.end(), upper) != choices.end()) return upper;
    std::string names;
    for (size_t i = 0; i < choices.size(); ++i)
        names += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
    return Error::InvalidInput(what + " must be " + names + ", got " + quote_user_text(text));
}

bool use_colour() {
    const char* no_colour = std::getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(no_colour && *no_colour);
}

}  // namespace shopctl::cli
