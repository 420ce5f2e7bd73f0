// PlatformSink: a real HTTP server on 127.0.0.1 (cpp-httplib), on a free port, that
// records every request it receives and answers as the test tells it: 200, 500, 429,
// or stall past the client's timeout. Stands in for the data platform.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace shopctl::test {

struct RecordedRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;
    std::string body;
};

class PlatformSink {
public:
    PlatformSink();
    ~PlatformSink();
    PlatformSink(const PlatformSink&) = delete;
    PlatformSink& operator=(const PlatformSink&) = delete;

    std::string url() const;  // http://127.0.0.1:<port>/orders
    int port() const { return port_; }
    void answer(int status) { status_ = status; }
    void stall(int seconds) { stall_seconds_ = seconds; }
    void delay_ms(int ms) { delay_ms_ = ms; }  // a slow platform that still answers
    // The most requests that were being answered at one time, per Idempotency-Key.
    int most_concurrent_for_one_key() const;
    std::vector<RecordedRequest> requests() const;
    void stop();

private:
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    std::atomic<int> status_{200};
    std::atomic<int> stall_seconds_{0};
    std::atomic<int> delay_ms_{0};
    std::map<std::string, int> in_flight_;       // under mutex_
    std::map<std::string, int> most_in_flight_;  // under mutex_
    mutable std::mutex mutex_;
    std::vector<RecordedRequest> requests_;
};

}  // namespace shopctl::test
