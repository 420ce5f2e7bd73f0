// Batches as users run them (SPEC.md section 8, 9): lines out only after their group's
// synced commit and flushed at once, a clean stop on Ctrl-C or SIGTERM with every
// committed order printed, each cart's clock read when it runs, keys echoed.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

std::string pen_cart(int i) {
    return json{{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}, {"coupons", json::array()},
                {"idempotency_key", "po-" + std::to_string(i)}}
               .dump() +
           "\n";
}

// Waits (bounded) until the store holds `n` orders.
bool wait_for_orders(const std::string& db, int n) {
    for (int i = 0; i < 500; ++i) {
        if (count_rows(db, "orders") >= n) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

std::vector<json> result_lines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) lines.push_back(json::parse(line));
    return lines;
}

// A batch reading a FIFO the test writes into, so input can pause like a slow pipe.
class FifoBatch {
public:
    FifoBatch(const TestShop& shop, std::vector<std::string> extra) : path_(shop.dir() + "/in.fifo") {
        REQUIRE(mkfifo(path_.c_str(), 0600) == 0);
        fd_ = open(path_.c_str(), O_RDWR | O_CLOEXEC);  // never blocks, and keeps the pipe open between writes
        REQUIRE(fd_ >= 0);
        std::vector<std::string> argv = {SHOPCTL_BIN, "--db", shop.db(), "batch", path_};
        argv.insert(argv.end(), extra.begin(), extra.end());
        child_ = std::make_unique<Child>(argv, RunOptions{});
    }
    ~FifoBatch() {
        if (fd_ >= 0) close(fd_);
        if (child_) {
            kill(child_->pid(), SIGKILL);
            child_->finish();
        }
    }
    void write_text(const std::string& text) { REQUIRE(::write(fd_, text.data(), text.size()) == static_cast<ssize_t>(text.size())); }
    void signal(int s) { kill(child_->pid(), s); }
    ProcessResult finish() {
        auto r = child_->finish();
        child_.reset();
        return r;
    }

private:
    std::string path_;
    int fd_ = -1;
    std::unique_ptr<Child> child_;
};

}  // namespace

TEST_CASE("Ctrl-C: the group in hand is committed and printed, then the summary, exit 130") {
    TestShop shop;
    FifoBatch batch(shop, {"--commit-every", "1000", "--now", kNow});
    std::string carts;
    for (int i = 0; i < 7; ++i) carts += pen_cart(i);
    batch.write_text(carts);
    REQUIRE(wait_for_orders(shop.db(), 7));  // the input paused: the group ran without waiting for 1000
    batch.signal(SIGINT);
    const auto r = batch.finish();
    CHECK(r.exit_code == 130);
    const auto lines = result_lines(r.out);
    CHECK(lines.size() == 7);
    for (size_t i = 0; i < lines.size(); ++i) {
        CHECK(lines[i]["ok"] == true);
        CHECK(lines[i]["idempotency_key"] == "po-" + std::to_string(i));
    }
    CHECK(count_rows(shop.db(), "orders") == 7);
    CHECK(r.err.find("batch: 7 carts, 7 ok (7 new, 0 replayed), 0 failed") != std::string::npos);
    CHECK(r.err.find("stopped by signal 2") != std::string::npos);
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("SIGTERM stops a batch the same way, exit 143; a rerun replays what was done") {
    TestShop shop;
    {
        FifoBatch batch(shop, {"--now", kNow});
        batch.write_text(pen_cart(0) + pen_cart(1) + pen_cart(2));
        REQUIRE(wait_for_orders(shop.db(), 3));
        batch.signal(SIGTERM);
        const auto r = batch.finish();
        CHECK(r.exit_code == 143);
        CHECK(result_lines(r.out).size() == 3);
    }
    {
        TestShop other;  // (one FIFO a shop)
        FifoBatch batch(other, {"--now", kNow, "--summary-json"});
        batch.write_text(pen_cart(7));
        REQUIRE(wait_for_orders(other.db(), 1));
        batch.signal(SIGTERM);
        const auto r = batch.finish();
        CHECK(r.exit_code == 143);
        const json summary = json::parse(r.err);
        CHECK(summary["stopped_by_signal"] == 15);
        CHECK(summary["ok"] == 1);
    }
    // The same input again: three replayed, one new, counted apart.
    const auto again = shop.run({"batch", shop.write_file("again.jsonl", pen_cart(0) + pen_cart(1) + pen_cart(2) + pen_cart(3))});
    CHECK(again.exit_code == 0);
    CHECK(again.err.find("4 carts, 4 ok (1 new, 3 replayed), 0 failed") != std::string::npos);
    CHECK(count_rows(shop.db(), "orders") == 4);
}

TEST_CASE("without --now each cart reads the clock when it is checked out") {
    TestShop shop;
    const std::string path = shop.dir() + "/in.fifo";
    REQUIRE(mkfifo(path.c_str(), 0600) == 0);
    const int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);  // not inherited: the batch must see EOF
    Child batch({SHOPCTL_BIN, "--db", shop.db(), "batch", path, "--commit-every", "1"}, {});
    const std::string first = pen_cart(1), second = pen_cart(2);
    REQUIRE(write(fd, first.data(), first.size()) == static_cast<ssize_t>(first.size()));
    REQUIRE(wait_for_orders(shop.db(), 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    REQUIRE(write(fd, second.data(), second.size()) == static_cast<ssize_t>(second.size()));
    REQUIRE(wait_for_orders(shop.db(), 2));
    close(fd);  // end of input
    const auto r = batch.finish();
    CHECK(r.exit_code == 0);
    CHECK(query_text(shop.db(), "SELECT count(DISTINCT created_at) FROM orders") == "2");
}

TEST_CASE("a batch line over 1 MiB is refused alone; bad lines echo their key; the rest go through") {
    TestShop shop;
    std::string huge = R"({"member_id": 1, "idempotency_key": "big", "items": [)";
    while (huge.size() < (1u << 20) + 100) huge += R"({"product_id": 13, "quantity": 1},)";
    huge += R"({"product_id": 13, "quantity": 1}]})";
    const std::string input = pen_cart(1) + huge + "\n" + R"({"member_id": 1, "idempotency_key": "bad", "items": []})" +
                              "\n" + pen_cart(2);
    const auto r = shop.run({"batch", shop.write_file("c.jsonl", input)});
    CHECK(r.exit_code == 1);
    const auto lines = result_lines(r.out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0]["ok"] == true);
    CHECK(lines[1]["line"] == 2);
    CHECK(lines[1]["error"]["code"] == "INVALID_CART");
    CHECK(lines[1]["error"]["message"].get<std::string>().find("longer than 1 MiB") != std::string::npos);
    CHECK(lines[2]["idempotency_key"] == "bad");
    CHECK(lines[2]["error"]["code"] == "INVALID_CART");
    CHECK(lines[3]["ok"] == true);
    CHECK(lines[3]["idempotency_key"] == "po-2");
    CHECK(count_rows(shop.db(), "orders") == 2);
}

TEST_CASE("batch --rejects FILE: each failed cart's line as read, in input order, ready to send again") {
    TestShop shop;
    const std::string not_json = "{not json";
    const std::string stranger = R"({"member_id": 99, "items": [{"product_id": 13, "quantity": 1}]})";
    const std::string too_many = "{\"member_id\": 1, \"items\": [{\"product_id\": 10, \"quantity\": 50}]}\r";
    const std::string input = pen_cart(1) + not_json + "\n\n" + stranger + "\n" + pen_cart(2) + too_many + "\n";
    for (const char* every : {"1", "256"}) {
        TestShop fresh;
        const std::string rejects = fresh.dir() + "/rejects.jsonl";
        const auto r = fresh.run({"batch", fresh.write_file("c.jsonl", input), "--commit-every", every, "--rejects", rejects});
        CHECK(r.exit_code == 1);
        CHECK(result_lines(r.out).size() == 5);
        std::ifstream in(rejects, std::ios::binary);
        const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(written == not_json + "\n" + stranger + "\n" + too_many + "\n");
        CHECK(count_rows(fresh.db(), "orders") == 2);
        // Sent again as they are, they fail again the same way, and nothing more is written.
        const auto again = fresh.run({"batch", rejects, "--json"});
        CHECK(again.exit_code == 1);
        CHECK(count_rows(fresh.db(), "orders") == 2);
    }
    // No failures: the file is there and empty.
    const std::string none = shop.dir() + "/none.jsonl";
    CHECK(shop.run({"batch", shop.write_file("ok.jsonl", pen_cart(3)), "--rejects", none}).exit_code == 0);
    std::ifstream empty(none);
    CHECK(empty.good());
    CHECK(empty.peek() == std::ifstream::traits_type::eof());
    // A file that cannot be written: INVALID_INPUT before anything is checked out.
    const std::string before = shop.dump();
    const auto bad = shop.run({"batch", shop.write_file("ok2.jsonl", pen_cart(4)), "--rejects", shop.dir() + "/no/such/dir/r.jsonl"});
    CHECK(bad.exit_code == 65);
    CHECK(bad.err.find("--rejects: cannot write") != std::string::npos);
    CHECK(shop.dump() == before);
}

TEST_CASE("batch --summary-json: the summary on stderr is one JSON object a script can read") {
    TestShop shop;
    const std::string input = pen_cart(1) + "{not json\n" + pen_cart(2) + pen_cart(1);
    const auto r = shop.run({"batch", shop.write_file("c.jsonl", input), "--summary-json", "--commit-every", "2"});
    CHECK(r.exit_code == 1);
    CHECK(result_lines(r.out).size() == 4);
    const json summary = json::parse(r.err);  // the whole of stderr
    CHECK(summary["carts"] == 4);
    CHECK(summary["ok"] == 3);
    CHECK(summary["new"] == 2);
    CHECK(summary["replayed"] == 1);
    CHECK(summary["failed"] == 1);
    CHECK(summary["failed_by_code"] == json{{"INVALID_CART", 1}});
    CHECK(summary["p50_us"].is_number_integer());
    CHECK(summary["orders_per_s"].is_number_integer());
    CHECK(summary["stopped_by_signal"].is_null());
    CHECK(summary["last_line_read"] == 4);
    CHECK(summary["open_group_rolled_back"] == false);
    const auto clean = shop.run({"batch", shop.write_file("ok.jsonl", pen_cart(3)), "--summary-json"});
    CHECK(clean.exit_code == 0);
    CHECK(json::parse(clean.err)["failed_by_code"] == json::object());
}
