#include "tests/support/platform_sink.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>

namespace shopctl::test {

PlatformSink::PlatformSink() : server_(std::make_unique<httplib::Server>()) {
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(100000);
    server_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            RecordedRequest r{req.method, req.path, {}, req.body};
            for (const auto& [k, v] : req.headers) r.headers[k] = v;
            requests_.push_back(std::move(r));
            const std::string key = req.get_header_value("Idempotency-Key");
            most_in_flight_[key] = std::max(most_in_flight_[key], ++in_flight_[key]);
        }
        if (const int s = stall_seconds_.load(); s > 0) std::this_thread::sleep_for(std::chrono::seconds(s));
        if (const int ms = delay_ms_.load(); ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        {
            std::lock_guard<std::mutex> lock(mutex_);
            --in_flight_[req.get_header_value("Idempotency-Key")];
        }
        res.status = status_.load();
        res.set_content("{}", "application/json");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

PlatformSink::~PlatformSink() { stop(); }

void PlatformSink::stop() {
    if (thread_.joinable()) {
        server_->stop();
        thread_.join();
    }
}

std::string PlatformSink::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/orders"; }

std::vector<RecordedRequest> PlatformSink::requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
}

int PlatformSink::most_concurrent_for_one_key() const {
    std::lock_guard<std::mutex> lock(mutex_);
    int most = 0;
    for (const auto& [key, n] : most_in_flight_) most = std::max(most, n);
    return most;
}

}  // namespace shopctl::test
