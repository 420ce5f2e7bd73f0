#include "tests/support/commit_cutter.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace shopctl::test {

namespace {

// The value of `key=` among a URI's query parameters ("" when absent).
std::string parameter(const std::string& uri, const std::string& key) {
    for (size_t at = uri.find('?'); at != std::string::npos; at = uri.find('&', at + 1)) {
        if (uri.compare(at + 1, key.size() + 1, key + "=") != 0) continue;
        const size_t start = at + key.size() + 2;
        const size_t end = uri.find('&', start);
        return uri.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }
    return "";
}

sockaddr_un unix_address(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) throw std::runtime_error("socket path too long: " + path);
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return address;
}

bool contains_commit(const std::string& bytes) {
    // A Parse, simple Query or CommandComplete of COMMIT ends its text with a NUL
    // ("READ COMMITTED" in a BEGIN does not match).
    return bytes.find(std::string("COMMIT\0", 7)) != std::string::npos;
}

bool send_all(int fd, const char* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

CommitCutter::CommitCutter(const std::string& uri, Cut cut) : how_(cut) {
    const std::string host = parameter(uri, "host"), port = parameter(uri, "port");
    if (host.empty() || host[0] != '/' || port.empty())
        throw std::runtime_error("CommitCutter needs a unix-socket cluster URI, not " + uri);
    server_socket_ = host + "/.s.PGSQL." + port;
    char dir[] = "/tmp/shopctl-cutter-XXXXXX";
    if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    relay_uri_ = uri;
    relay_uri_.replace(relay_uri_.find("host=" + host), 5 + host.size(), "host=" + dir_);

    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_un address = unix_address(dir_ + "/.s.PGSQL." + port);
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0)
        throw std::runtime_error("CommitCutter cannot listen in " + dir_);
    acceptor_ = std::thread([this] { accept_loop(); });
}

CommitCutter::~CommitCutter() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    for (auto& t : relays_) t.join();
    ::close(listener_);
    std::system(("rm -rf '" + dir_ + "'").c_str());
}

std::string CommitCutter::cut_transaction() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cut_transaction_;
}

void CommitCutter::accept_loop() {
    while (!stopping_) {
        pollfd p{listener_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        relays_.emplace_back([this, client] { relay(client); });
    }
}

void CommitCutter::relay(int client) {
    const int server = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_un address = unix_address(server_socket_);
    if (server < 0 || ::connect(server, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(client);
        if (server >= 0) ::close(server);
        return;
    }
    std::string transaction;  // what the client sent since its last COMMIT
    std::string held;         // the server's answer held back after a cut COMMIT
    bool holding = false;
    char buffer[65536];
    while (!stopping_) {
        pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (::poll(fds, 2, 50) <= 0) continue;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            const std::string chunk(buffer, static_cast<size_t>(n));
            transaction += chunk;
            if (contains_commit(chunk)) {
                bool expected = true;
                if (armed_.compare_exchange_strong(expected, false)) {
                    {
                        std::lock_guard<std::mutex> lock(mutex_);
                        cut_transaction_ = transaction;
                    }
                    if (how_ == Cut::BeforeCommit) {
                        cut_ = true;
                        break;  // the COMMIT never leaves
                    }
                    if (how_ == Cut::Partition) {
                        cut_ = true;
                        ::close(client);  // the server's side stays open, its transaction too
                        while (!stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
                        ::close(server);
                        return;
                    }
                    holding = true;
                }
                if (!send_all(server, chunk.data(), chunk.size())) break;
                transaction.clear();
                continue;
            }
            if (!send_all(server, chunk.data(), chunk.size())) break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(server, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            if (holding) {
                held.append(buffer, static_cast<size_t>(n));
                if (contains_commit(held)) {  // the server kept it; the client never hears so
                    cut_ = true;
                    break;
                }
                continue;
            }
            if (!send_all(client, buffer, static_cast<size_t>(n))) break;
        }
    }
    ::close(client);
    ::close(server);
}

}  // namespace shopctl::test
