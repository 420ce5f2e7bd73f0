// LineReader: streams lines from a file descriptor without holding the input in
// memory, and says when it is about to wait for more input, so a batch can commit
// what it has before blocking on a slow pipe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace shopctl::cli {

class LineReader {
public:
    explicit LineReader(int fd) : fd_(fd) {}
    // The next line without its newline; false at end of input. `before_wait` runs
    // when no input is ready yet.
    bool next(std::string& line, const std::function<void()>& before_wait);
    uint64_t bytes_read() const { return bytes_read_; }

private:
    bool fill(const std::function<void()>& before_wait);
    int fd_;
    std::string buffer_;
    size_t pos_ = 0;
    bool eof_ = false;
    uint64_t bytes_read_ = 0;
};

}  // namespace shopctl::cli
