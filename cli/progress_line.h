// A progress line on a terminal (stderr), redrawn in place: for a batch, how far
// through the file, how many carts are done and how many failed; for a flush, rows
// tried, delivered and failed. Only on a terminal, never wider than it, at most ten
// redraws a second, and nothing at all for work that ends within the first 100 ms.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shopctl::cli {

struct ProgressFigures {
    std::optional<double> fraction;     // 0..1 of the whole, when the whole is known
    std::vector<std::string> counts;    // "1,234 carts", "3 failed": kept in this order
    std::string rate;                   // "812/s", shown when it fits
    std::optional<double> eta_seconds;  // shown when it fits
};

// The line for `width` columns (at most width - 1 used, so the cursor never wraps):
// the percentage and the first count always; then the other counts, the rate, the
// ETA and, in front, a bar of up to 30 columns, each only while it fits.
std::string format_progress_line(const ProgressFigures& figures, size_t width);

class ProgressLine {
public:
    explicit ProgressLine(bool wanted);  // enabled when wanted and stderr is a terminal
    bool enabled() const { return enabled_; }
    double seconds() const;
    // Redraws with make()'s figures when 100 ms have passed since the last redraw (or
    // since the start); otherwise make is not called, so a batch that is not on a
    // terminal builds no text at all.
    template <typename MakeFigures>
    void update(MakeFigures&& make) {
        if (due()) draw(make());
    }
    // Clears the line (a summary follows).
    void finish();

private:
    bool due();
    void draw(const ProgressFigures& figures);
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
};

// The terminal's width in columns: stderr's window size, else $COLUMNS, else 80.
size_t terminal_width();

}  // namespace shopctl::cli
