#include "cli/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace shopctl::cli {

bool LineReader::fill(const std::function<void()>& before_wait) {
    if (eof_) return false;
    pollfd p{fd_, POLLIN, 0};
    if (before_wait && poll(&p, 1, 0) == 0) before_wait();
    if (pos_ > 0) {
        buffer_.erase(0, pos_);
        pos_ = 0;
    }
    char chunk[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            eof_ = true;
            return false;
        }
        buffer_.append(chunk, static_cast<size_t>(n));
        bytes_read_ += static_cast<uint64_t>(n);
        return true;
    }
}

bool LineReader::next(std::string& line, const std::function<void()>& before_wait) {
    for (;;) {
        const size_t nl = buffer_.find('\n', pos_);
        if (nl != std::string::npos) {
            line.assign(buffer_, pos_, nl - pos_);
            pos_ = nl + 1;
            return true;
        }
        if (!fill(before_wait)) {
            if (pos_ < buffer_.size()) {  // a last line without a newline
                line.assign(buffer_, pos_, std::string::npos);
                pos_ = buffer_.size();
                return true;
            }
            return false;
        }
    }
}

}  // namespace shopctl::cli
