// platform-sink: a stand-in data platform for demos. Listens on 127.0.0.1:PORT
// (default 8088), prints every delivery it receives (Idempotency-Key and body) and
// answers 200, or the status given as the second argument (e.g. 500 to watch retries).
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    const int port = argc > 1 ? std::atoi(argv[1]) : 8088;
    const int status = argc > 2 ? std::atoi(argv[2]) : 200;
    httplib::Server server;
    server.set_tcp_nodelay(true);           // answer at once, as a real platform would
    server.set_keep_alive_max_count(100000);  // one connection for a whole flush
    long count = 0;
    server.Post(".*", [&](const httplib::Request& req, httplib::Response& res) {
        const auto key = req.get_header_value("Idempotency-Key");
        const bool authorised = req.has_header("Authorization");
        std::printf("#%ld %s %s  Idempotency-Key: %s%s\n%s\n", ++count, req.method.c_str(), req.path.c_str(),
                    key.c_str(), authorised ? "  (bearer token present)" : "", req.body.c_str());
        std::fflush(stdout);
        res.status = status;
        res.set_content("{}", "application/json");
    });
    std::fprintf(stderr, "platform-sink: listening on http://127.0.0.1:%d/orders, answering %d\n", port, status);
    return server.listen("127.0.0.1", port) ? 0 : 1;
}
