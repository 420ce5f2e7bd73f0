// CommitCutter: a relay between shopctl and the test cluster's unix socket that cuts
// one connection at its COMMIT, the way a network or a server can fail at the worst
// moment: after the server ran the COMMIT but before its answer arrives (the client
// cannot know the transaction was kept), or before the COMMIT reaches the server.
// Every other byte, and every connection after the cut, passes untouched.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace shopctl::test {

class CommitCutter {
public:
    enum class Cut {
        AfterCommit,   // the COMMIT runs on the server; its answer never reaches the client
        BeforeCommit,  // the COMMIT never reaches the server
        Partition,     // nor does anything else, and the server never learns the client is gone
    };
    // Relays to the server of `uri` (a test cluster URI with host=<socket dir>).
    CommitCutter(const std::string& uri, Cut cut);
    ~CommitCutter();
    CommitCutter(const CommitCutter&) = delete;
    CommitCutter& operator=(const CommitCutter&) = delete;

    // `uri`, through the relay.
    const std::string& uri() const { return relay_uri_; }
    // Whether the cut happened: for AfterCommit, once the server's answer to the
    // COMMIT was held back.
    bool cut() const { return cut_.load(); }
    // What the client sent in the cut transaction (from the COMMIT before it).
    std::string cut_transaction() const;

private:
    void accept_loop();
    void relay(int client);

    Cut how_;
    std::string server_socket_, dir_, relay_uri_;
    int listener_ = -1;
    std::atomic<bool> stopping_{false}, armed_{true}, cut_{false};
    mutable std::mutex mutex_;
    std::string cut_transaction_;
    std::thread acceptor_;
    std::vector<std::thread> relays_;
};

}  // namespace shopctl::test
