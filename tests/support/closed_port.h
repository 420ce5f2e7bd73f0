// A TCP port on 127.0.0.1 where connections are refused, for as long as this object
// lives: its socket is bound and never listened on, so no other process can take the
// port meanwhile (a port bound and let go at once could be anyone's by the time the
// test connects).
#pragma once

namespace shopctl::test {

class ClosedPort {
public:
    ClosedPort();
    ~ClosedPort();
    ClosedPort(const ClosedPort&) = delete;
    ClosedPort& operator=(const ClosedPort&) = delete;

    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

}  // namespace shopctl::test
