#include "cli/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace shopctl::cli {

bool LineReader::fill(const std::function<void()>& before_wait, const std::function<bool()>& stop) {
    if (eof_) return false;
    pollfd p{fd_, POLLIN, 0};
    if (before_wait && poll(&p, 1, 0) == 0) before_wait();
    if (pos_ > 0) {
        buffer_.erase(0, pos_);
        pos_ = 0;
    }
    char chunk[1 << 16];
    for (;;) {
        if (stop && stop()) return false;
        const ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;  // a signal: `stop` decides
        if (n <= 0) {
            eof_ = true;
            return false;
        }
        buffer_.append(chunk, static_cast<size_t>(n));
        bytes_read_ += static_cast<uint64_t>(n);
        return true;
    }
}

LineReader::Got LineReader::next(std::string& line, const std::function<void()>& before_wait,
                                 const std::function<bool()>& stop) {
    line.clear();
    for (;;) {
        const size_t nl = buffer_.find('\n', pos_);
        if (nl != std::string::npos) {
            const bool was_skipping = skipping_;
            if (!was_skipping && nl - pos_ > max_line_) skipping_ = true;
            if (!skipping_) line.assign(buffer_, pos_, nl - pos_);
            pos_ = nl + 1;
            if (skipping_) {
                skipping_ = false;
                return Got::TooLong;
            }
            return Got::Line;
        }
        if (buffer_.size() - pos_ > max_line_) {  // no newline yet and already too long: drop what we have
            skipping_ = true;
            pos_ = buffer_.size();
        }
        if (!fill(before_wait, stop)) {
            if (stop && stop()) return Got::End;
            if (skipping_) {
                skipping_ = false;
                return Got::TooLong;
            }
            if (pos_ < buffer_.size()) {  // a last line without a newline
                line.assign(buffer_, pos_, std::string::npos);
                pos_ = buffer_.size();
                return Got::Line;
            }
            return Got::End;
        }
    }
}

}  // namespace shopctl::cli
