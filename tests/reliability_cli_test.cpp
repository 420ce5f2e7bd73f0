// Many processes at once, and SIGKILL in the middle of a batch: nothing oversold,
// nothing lost, every invariant holds.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>
#include <fstream>
#include <thread>

#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

// Members 1..8 with 100,000 points, each holding 30 "100 off" coupons for product 1
// (price 1,000, stock 100) and one 5% order coupon.
json contended_fixture() {
    json f = {{"members", json::array()}, {"products", json::array()}, {"coupons", json::array()},
              {"coupon_issues", json::array()}};
    f["products"].push_back({{"id", 1}, {"name", "Limited edition"}, {"price", 1000}, {"stock", 100}, {"status", "ON_SALE"}});
    f["coupons"].push_back({{"id", 1}, {"name", "100 off"}, {"scope", "PRODUCT"}, {"product_id", 1},
                            {"discount_type", "FIXED"}, {"discount_value", 100}});
    f["coupons"].push_back({{"id", 2}, {"name", "5% off"}, {"scope", "ORDER"}, {"discount_type", "PERCENT"},
                            {"discount_value", 5}});
    int issue = 1;
    for (int m = 1; m <= 8; ++m) {
        f["members"].push_back({{"id", m}, {"name", "member " + std::to_string(m)}, {"points", 100000}});
        for (int c = 0; c < 30; ++c) f["coupon_issues"].push_back({{"id", issue++}, {"coupon_id", 1}, {"member_id", m}});
        f["coupon_issues"].push_back({{"id", issue++}, {"coupon_id", 2}, {"member_id", m}});
    }
    return f;
}

// 8 worker processes, each running 25 `shopctl checkout` processes one after the other.
std::multiset<int> run_workers(const TestShop& shop, const std::string& busy_timeout) {
    std::vector<Child> workers;
    for (int m = 1; m <= 8; ++m) {
        const std::string cart = shop.write_file("cart-" + std::to_string(m) + ".json",
                                                 json{{"member_id", m}, {"items", {{{"product_id", 1}, {"quantity", 1}}}}}.dump());
        const std::string codes = shop.dir() + "/codes-" + std::to_string(m);
        const std::string script = "for i in $(seq 25); do \"" + std::string(SHOPCTL_BIN) + "\" --db \"" + shop.db() +
                                   "\" --busy-timeout " + busy_timeout + " checkout \"" + cart +
                                   "\" >/dev/null 2>&1; echo $? >> \"" + codes + "\"; done";
        workers.emplace_back(std::vector<std::string>{"/bin/bash", "-c", script}, RunOptions{});
    }
    for (auto& w : workers) w.finish();
    std::multiset<int> codes;
    for (int m = 1; m <= 8; ++m) {
        std::ifstream in(shop.dir() + "/codes-" + std::to_string(m));
        int code;
        while (in >> code) codes.insert(code);
    }
    return codes;
}

void check_invariants(const TestShop& shop, long long orders) {
    const std::string db = shop.db();
    CHECK(count_rows(db, "orders") == orders);
    CHECK(query_text(db, "SELECT quantity FROM stock WHERE product_id = 1") == std::to_string(100 - orders));
    // Points spent equal the sum of order totals.
    CHECK(query_text(db, "SELECT 800000 - sum(balance) FROM point") ==
          query_text(db, "SELECT COALESCE(sum(total), 0) FROM orders"));
    // No coupon used twice: each USED issue names one order, each order at most one product coupon.
    CHECK(query_text(db, "SELECT count(*) FROM (SELECT used_order_id FROM coupon_issue c JOIN coupon k ON k.id = c.coupon_id "
                         "WHERE c.status = 'USED' AND k.scope = 'PRODUCT' GROUP BY used_order_id HAVING count(*) > 1)") == "0");
    CHECK(query_text(db, "SELECT count(*) FROM coupon_issue WHERE status = 'USED'") ==
          query_text(db, "SELECT count(coupon_issue_id) + count(order_coupon_issue_id) FROM orders o JOIN order_item i ON i.order_id = o.id"));
    CHECK(shop.run({"verify"}).exit_code == 0);
}

}  // namespace

TEST_CASE("8 processes x 25 checkouts on stock 100: exactly 100 orders, the rest OUT_OF_STOCK", "[slow]") {
    TestShop shop(contended_fixture());
    const auto codes = run_workers(shop, "10000");
    CHECK(codes.size() == 200);
    CHECK(codes.count(0) == 100);
    CHECK(codes.count(13) == 100);
    check_invariants(shop, 100);
    CHECK(query_text(shop.db(), "SELECT count(DISTINCT member_id) FROM orders") != "1");
}

TEST_CASE("with a tiny busy timeout some processes give up with 75, and nothing is half-written", "[slow]") {
    TestShop shop(contended_fixture());
    const auto codes = run_workers(shop, "0");
    CHECK(codes.size() == 200);
    for (int code : codes) CHECK((code == 0 || code == 13 || code == 75));
    check_invariants(shop, static_cast<long long>(codes.count(0)));
}

TEST_CASE("SIGKILL mid-batch, five times: printed orders exist, every order is whole, the store verifies", "[slow]") {
    json fixture = contended_fixture();
    fixture["products"][0]["stock"] = 100000;
    for (auto& m : fixture["members"]) m["points"] = 100000000;
    TestShop shop(fixture);
    std::ostringstream carts;
    for (int i = 0; i < 2000; ++i)
        carts << json{{"member_id", 1 + i % 8}, {"items", {{{"product_id", 1}, {"quantity", 1 + i % 3}}}},
                      {"idempotency_key", "k-" + std::to_string(i)}}
                     .dump()
              << '\n';
    const std::string input = shop.write_file("carts.jsonl", carts.str());
    std::mt19937 rng(42);
    std::set<long long> printed;
    for (int round = 0; round < 5; ++round) {
        Child batch({SHOPCTL_BIN, "--db", shop.db(), "batch", input, "--commit-every", round % 2 ? "1" : "64"}, {});
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(30, 400)(rng)));
        kill(batch.pid(), SIGKILL);
        const auto r = batch.finish();
        std::istringstream lines(r.out);
        std::string line;
        while (std::getline(lines, line)) {
            json j;
            try {
                j = json::parse(line);
            } catch (const json::exception&) {
                continue;  // the one line cut by the kill
            }
            if (j["ok"] == true) printed.insert(j["receipt"]["order_id"].get<long long>());
        }
    }
    CHECK(query_text(shop.db(), "PRAGMA integrity_check") == "ok");
    CHECK(shop.run({"verify"}).exit_code == 0);
    for (long long id : printed)
        CHECK(query_text(shop.db(), "SELECT count(*) FROM orders WHERE id = " + std::to_string(id)) == "1");
    // A last run completes the rest: every cart ends as exactly one order.
    const auto last = shop.run({"batch", input});
    CHECK(last.exit_code == 0);
    CHECK(count_rows(shop.db(), "orders") == 2000);
    CHECK(count_rows(shop.db(), "platform_outbox") == 2000);
    CHECK(query_text(shop.db(), "SELECT 100000 - quantity FROM stock") == query_text(shop.db(), "SELECT sum(quantity) FROM order_item"));
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("a long batch at --commit-every 1 checkpoints as it goes, so the WAL does not hold every order", "[slow]") {
    // Each order commits alone. SQLite's auto-checkpoint runs inside COMMIT and gives up
    // while any statement of the connection is mid-step; the store must end them first.
    json fixture = contended_fixture();
    fixture["products"][0]["stock"] = 1000000;
    for (auto& m : fixture["members"]) m["points"] = 1000000000;
    TestShop shop(fixture);
    const std::string fifo = shop.dir() + "/carts.fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    const auto db_bytes_before = std::filesystem::file_size(shop.db());
    Child batch({SHOPCTL_BIN, "--db", shop.db(), "batch", fifo, "--commit-every", "1"}, {});
    const int carts = 6000;  // about 12 WAL pages each: past the 40,000-page checkpoint threshold
    {
        // Never hangs: the write end is opened only once the batch has the FIFO open for
        // reading, and a batch that died makes write() fail (EPIPE) instead of blocking.
        struct Guard {
            int fd = -1;
            int pid;
            void (*previous_sigpipe)(int);  // restored: later children must not inherit SIG_IGN
            ~Guard() {
                if (fd >= 0) ::close(fd);
                kill(pid, SIGKILL);
                signal(SIGPIPE, previous_sigpipe);
            }
        } guard{-1, batch.pid(), signal(SIGPIPE, SIG_IGN)};
        const auto open_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while ((guard.fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0 && errno == ENXIO &&
               std::chrono::steady_clock::now() < open_deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        REQUIRE(guard.fd >= 0);
        REQUIRE(fcntl(guard.fd, F_SETFL, 0) == 0);  // blocking writes from here on
        std::string input;
        for (int i = 0; i < carts; ++i)
            input += json{{"member_id", 1 + i % 8}, {"items", {{{"product_id", 1}, {"quantity", 1}}}}}.dump() + '\n';
        for (size_t written = 0; written < input.size();) {
            const ssize_t n = ::write(guard.fd, input.data() + written, input.size() - written);
            REQUIRE(n > 0);
            written += static_cast<size_t>(n);
        }
        // The batch now waits for more input with every order committed; its connection
        // is still open, so nothing has been checkpointed at close yet.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
        while (count_rows(shop.db(), "orders") < carts && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        REQUIRE(count_rows(shop.db(), "orders") == carts);
        CHECK(std::filesystem::file_size(shop.db()) > db_bytes_before);  // pages were copied back mid-run
    }
    batch.finish();
    CHECK(shop.run({"verify"}).exit_code == 0);
}
