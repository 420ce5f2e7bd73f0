// The terminal progress line's text: what it keeps as the terminal narrows.
#include <catch2/catch.hpp>

#include "cli/progress_line.h"

using shopctl::cli::format_progress_line;
using shopctl::cli::ProgressFigures;

namespace {
ProgressFigures batch_like(double fraction) {
    return ProgressFigures{fraction, {"1,234 carts", "3 failed"}, "812/s", 5.2};
}
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("a wide terminal gets the bar, the percentage, every count, the rate and the ETA") {
    const std::string line = format_progress_line(batch_like(0.42), 100);
    CHECK(line.rfind("[############------------------]   42%  1,234 carts  3 failed  812/s  ETA 6s", 0) == 0);
    CHECK(line.size() <= 99);
}

TEST_CASE("a narrow terminal drops the bar, then the ETA and rate, never the counts that fit; never wraps") {
    for (size_t width = 0; width <= 120; ++width) {
        INFO(width);
        const std::string line = format_progress_line(batch_like(0.42), width);
        CHECK(line.size() <= (width > 0 ? width - 1 : 0));
    }
    const std::string forty = format_progress_line(batch_like(0.42), 40);
    CHECK(forty == " 42%  1,234 carts  3 failed  812/s");  // 34 columns: no room for the ETA or a bar
    const std::string thirty = format_progress_line(batch_like(0.42), 30);
    CHECK(thirty == " 42%  1,234 carts  3 failed");  // the failures are kept before the rate
    CHECK(format_progress_line(batch_like(0.42), 12) == " 42%  1,234");  // cut, not wrapped
}

TEST_CASE("the ends of the bar, long ETAs, and a whole that is not known") {
    CHECK(has(format_progress_line(batch_like(0.0), 80), "[------------------------------]    0%"));
    CHECK(has(format_progress_line(batch_like(1.0), 80), "[##############################]  100%"));
    ProgressFigures slow = batch_like(0.01);
    slow.eta_seconds = 3 * 3600 + 25 * 60;
    CHECK(has(format_progress_line(slow, 100), "ETA 3h25m"));
    slow.eta_seconds = 125;
    CHECK(has(format_progress_line(slow, 100), "ETA 2m05s"));
    const ProgressFigures flush{std::nullopt, {"42,000 tried", "41,990 delivered", "10 failed"}, "2,800/s", std::nullopt};
    CHECK(format_progress_line(flush, 80) == "42,000 tried  41,990 delivered  10 failed  2,800/s");
}
