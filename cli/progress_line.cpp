#include "cli/progress_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace shopctl::cli {

namespace {

std::string percent_text(double fraction) {
    char text[16];
    std::snprintf(text, sizeof text, "%3.0f%%", std::floor(std::min(1.0, std::max(0.0, fraction)) * 100));
    return text;
}

std::string eta_text(double seconds) {
    const auto s = static_cast<long long>(std::ceil(std::max(0.0, seconds)));
    char text[32];
    if (s >= 3600) std::snprintf(text, sizeof text, "ETA %lldh%02lldm", s / 3600, (s % 3600) / 60);
    else if (s >= 60) std::snprintf(text, sizeof text, "ETA %lldm%02llds", s / 60, s % 60);
    else std::snprintf(text, sizeof text, "ETA %llds", s);
    return text;
}

}  // namespace

std::string format_progress_line(const ProgressFigures& figures, size_t width) {
    const size_t room = width > 1 ? width - 1 : 0;
    // The parts after the bar, most important first; the first one or two always shown.
    std::string text = figures.fraction ? percent_text(*figures.fraction) : "";
    size_t next = 0;
    if (!figures.counts.empty()) text += (text.empty() ? "" : "  ") + figures.counts[next++];
    auto add_if_fits = [&](const std::string& part) {
        if (part.empty()) return;
        if (text.size() + 2 + part.size() <= room) text += "  " + part;
    };
    for (; next < figures.counts.size(); ++next) add_if_fits(figures.counts[next]);
    add_if_fits(figures.rate);
    if (figures.eta_seconds) add_if_fits(eta_text(*figures.eta_seconds));
    if (figures.fraction && text.size() + 2 + 12 <= room) {  // a bar of at least 10 between brackets
        const size_t bar = std::min<size_t>(30, room - text.size() - 4);
        const auto filled = static_cast<size_t>(std::floor(std::min(1.0, std::max(0.0, *figures.fraction)) * bar));
        std::string with_bar(1, '[');
        with_bar.append(filled, '#').append(bar - filled, '-').append("]  ").append(text);
        text = std::move(with_bar);
    }
    if (text.size() > room) text.resize(room);  // every part is ASCII: bytes are columns
    return text;
}

size_t terminal_width() {
    winsize ws{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    if (const char* columns = std::getenv("COLUMNS")) {
        const long n = std::strtol(columns, nullptr, 10);
        if (n > 0 && n < 10000) return static_cast<size_t>(n);
    }
    return 80;
}

ProgressLine::ProgressLine(bool wanted)
    : enabled_(wanted && isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()), last_(start_) {}

double ProgressLine::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool ProgressLine::due() {
    if (!enabled_) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return false;
    last_ = now;
    return true;
}

void ProgressLine::draw(const ProgressFigures& figures) {
    // Width is read each time: the window may have been resized.
    std::fputs("\r", stderr);
    std::fputs(format_progress_line(figures, terminal_width()).c_str(), stderr);
    std::fputs("\033[K", stderr);
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressLine::finish() {
    if (enabled_ && drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
}

}  // namespace shopctl::cli
