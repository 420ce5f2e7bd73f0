// LineReader: streams lines from a file descriptor without holding the input in
// memory (a line longer than the limit is skipped, not stored, and reported), and
// says when it is about to wait for more input, so a batch can commit what it has
// before blocking on a slow pipe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace shopctl::cli {

class LineReader {
public:
    LineReader(int fd, size_t max_line_bytes) : fd_(fd), max_line_(max_line_bytes) {}

    enum class Got { Line, TooLong, End };
    // The next line without its newline. TooLong: the line passed the limit and was
    // skipped (`line` is empty). End: no more input, or `stop` said so while waiting.
    // `before_wait` runs when no input is ready yet.
    Got next(std::string& line, const std::function<void()>& before_wait, const std::function<bool()>& stop);
    uint64_t bytes_read() const { return bytes_read_; }
    // Bytes of the input handed out as lines so far (read-ahead not counted).
    uint64_t bytes_consumed() const { return bytes_read_ - (buffer_.size() - pos_); }

private:
    bool fill(const std::function<void()>& before_wait, const std::function<bool()>& stop);
    int fd_;
    size_t max_line_;
    std::string buffer_;
    size_t pos_ = 0;
    bool eof_ = false;
    bool skipping_ = false;  // inside a line that is too long: dropping bytes to its newline
    uint64_t bytes_read_ = 0;
};

}  // namespace shopctl::cli
