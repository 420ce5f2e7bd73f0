// The data platform push (SPEC.md section 7) against a real HTTP server on 127.0.0.1.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <thread>
#include <set>

#include "tests/support/closed_port.h"
#include "tests/support/platform_sink.h"
#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

const char* kToken = "s3cret-token-value";

std::string cart_file(const TestShop& shop, int product = 13, int quantity = 1, int member = 1) {
    return shop.write_file("cart-" + std::to_string(product) + ".json",
                           json{{"member_id", member}, {"items", {{{"product_id", product}, {"quantity", quantity}}}}}.dump());
}

RunOptions with_token() { return RunOptions{"", {{"SHOPCTL_PLATFORM_TOKEN", kToken}}, ""}; }

}  // namespace

TEST_CASE("a checkout pushes its receipt once, with the spec's headers, and never prints the token") {
    TestShop shop;
    PlatformSink sink;
    const auto r = shop.run({"checkout", cart_file(shop), "--json", "--platform-url", sink.url()}, with_token());
    REQUIRE(r.exit_code == 0);
    const json receipt = json::parse(r.out);
    CHECK(receipt["platform"] == json{{"status", "SENT"}, {"attempts", 1}, {"error", nullptr}});
    const auto requests = sink.requests();
    REQUIRE(requests.size() == 1);
    const auto& req = requests[0];
    CHECK(req.method == "POST");
    CHECK(req.path == "/orders");
    CHECK(req.headers.at("Content-Type") == "application/json");
    CHECK(req.headers.at("Idempotency-Key") == "order-1");
    CHECK(req.headers.at("Authorization") == std::string("Bearer ") + kToken);
    json expected_body = receipt;
    expected_body.erase("platform");
    CHECK(json::parse(req.body) == expected_body);
    CHECK(query_text(shop.db(), "SELECT status || ',' || attempts FROM platform_outbox") == "SENT,1");
    CHECK(r.out.find(kToken) == std::string::npos);
    CHECK(r.err.find(kToken) == std::string::npos);
    CHECK(shop.dump().find(kToken) == std::string::npos);
}

TEST_CASE("a failing platform leaves the order committed and the row queued") {
    TestShop shop;
    PlatformSink sink;
    struct Case {
        std::string name;
        std::string url;
        std::function<void()> setup;
    };
    const ClosedPort refused;
    const std::vector<Case> cases = {
        {"500", sink.url(), [&] { sink.answer(500); }},
        {"429", sink.url(), [&] { sink.answer(429); }},
        {"refused", "http://127.0.0.1:" + std::to_string(refused.port()) + "/orders", [] {}},
        {"stall", sink.url(), [&] { sink.answer(200); sink.stall(3); }},
    };
    int order = 0;
    for (const auto& c : cases) {
        INFO(c.name);
        c.setup();
        const auto start = std::chrono::steady_clock::now();
        const auto r = shop.run({"checkout", cart_file(shop), "--json", "--platform-url", c.url, "--platform-timeout", "1"});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ++order;
        CHECK(r.exit_code == 0);
        CHECK(seconds < 2.5);  // the timeout plus a little, not the stall
        const json receipt = json::parse(r.out);
        CHECK(receipt["order_id"] == order);
        CHECK(receipt["platform"]["status"] == "QUEUED");
        CHECK(receipt["platform"]["attempts"] == 1);
        CHECK(r.err.find("warning") != std::string::npos);
        const std::string id = std::to_string(order);
        CHECK(query_text(shop.db(), "SELECT status FROM orders WHERE id = " + id) == "PAID");
        CHECK(query_text(shop.db(), "SELECT status || ',' || attempts || ',' || (last_error IS NOT NULL) || ',' || "
                                    "(next_attempt_at > '2026-11-26T03:15:00Z') FROM platform_outbox WHERE order_id = " + id) ==
              "PENDING,1,1,1");
    }
    sink.stall(0);
}

TEST_CASE("--quiet keeps a failed push's warning off stderr; the receipt and the queued row are the same") {
    TestShop shop;
    const ClosedPort refused;
    const std::string url = "http://127.0.0.1:" + std::to_string(refused.port()) + "/orders";
    const auto loud = shop.run({"checkout", cart_file(shop), "--json", "--platform-url", url, "--platform-timeout", "1"});
    CHECK(loud.err.find("warning") != std::string::npos);
    const auto quiet = shop.run({"checkout", cart_file(shop), "--json", "--quiet", "--platform-url", url, "--platform-timeout", "1"});
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.err.empty());
    CHECK(json::parse(quiet.out)["platform"]["status"] == "QUEUED");
    CHECK(query_text(shop.db(), "SELECT group_concat(attempts) FROM platform_outbox") == "1,1");
}

TEST_CASE("with no URL nothing is tried; flush later delivers each row once with the same key") {
    TestShop shop;
    for (int i = 0; i < 3; ++i) REQUIRE(shop.run({"checkout", cart_file(shop)}).exit_code == 0);
    CHECK(query_text(shop.db(), "SELECT group_concat(attempts) FROM platform_outbox") == "0,0,0");

    PlatformSink failing;
    failing.answer(500);
    const std::string before = query_text(shop.db(), "SELECT group_concat(status) FROM platform_outbox");
    const auto bad = shop.run({"outbox", "flush", "--platform-url", failing.url()});
    CHECK(bad.exit_code == 69);
    CHECK(failing.requests().size() == 3);
    CHECK(query_text(shop.db(), "SELECT count(*) FROM platform_outbox WHERE status = 'SENT'") == "0");
    // Not due again yet (backoff): a plain flush tries nothing; --all ignores the schedule.
    PlatformSink healthy;
    CHECK(shop.run({"outbox", "flush", "--platform-url", healthy.url()}).exit_code == 0);
    CHECK(healthy.requests().empty());
    const auto ok = shop.run({"outbox", "flush", "--all", "--platform-url", healthy.url(), "--json"});
    CHECK(ok.exit_code == 0);
    CHECK(json::parse(ok.out)["delivered"] == 3);
    CHECK(json::parse(ok.out)["outbox"].size() == 3);  // the rows tried, as outbox list shows them
    CHECK(json::parse(ok.out)["outbox"][2]["status"] == "SENT");
    std::vector<std::string> keys;
    for (const auto& r : healthy.requests()) keys.push_back(r.headers.at("Idempotency-Key"));
    CHECK(keys == std::vector<std::string>{"order-1", "order-2", "order-3"});
    std::vector<std::string> failed_keys;
    for (const auto& r : failing.requests()) failed_keys.push_back(r.headers.at("Idempotency-Key"));
    CHECK(failed_keys == keys);
    // Delivered rows are never sent again.
    CHECK(shop.run({"outbox", "flush", "--all", "--platform-url", healthy.url()}).exit_code == 0);
    CHECK(healthy.requests().size() == 3);
}

TEST_CASE("after 10 failed attempts a row is DEAD; retry requeues it") {
    TestShop shop;
    REQUIRE(shop.run({"checkout", cart_file(shop)}).exit_code == 0);
    PlatformSink failing;
    failing.answer(503);
    for (int i = 0; i < 10; ++i) CHECK(shop.run({"outbox", "flush", "--all", "--platform-url", failing.url()}).exit_code == 69);
    CHECK(query_text(shop.db(), "SELECT status || ',' || attempts FROM platform_outbox") == "DEAD,10");
    CHECK(shop.run({"outbox", "flush", "--all", "--platform-url", failing.url()}).exit_code == 0);  // nothing to try
    CHECK(failing.requests().size() == 10);
    CHECK(shop.run({"outbox", "retry", "2"}).exit_code == 65);  // no such row
    const auto retried = shop.run({"outbox", "retry", "1", "--json"});
    REQUIRE(retried.exit_code == 0);
    CHECK(json::parse(retried.out)["status"] == "PENDING");
    CHECK(json::parse(retried.out)["attempts"] == 0);
    CHECK(shop.run({"outbox", "retry", "1"}).exit_code == 65);  // only DEAD rows
    PlatformSink healthy;
    CHECK(shop.run({"outbox", "flush", "--platform-url", healthy.url()}).exit_code == 0);
    CHECK(query_text(shop.db(), "SELECT status FROM platform_outbox") == "SENT");
}

TEST_CASE("outbox retry --all-dead requeues every DEAD row in one go, and only those") {
    TestShop shop;
    REQUIRE(shop.run({"checkout", cart_file(shop)}).exit_code == 0);
    REQUIRE(shop.run({"checkout", cart_file(shop)}).exit_code == 0);
    PlatformSink failing;
    failing.answer(503);
    for (int i = 0; i < 10; ++i) CHECK(shop.run({"outbox", "flush", "--all", "--platform-url", failing.url()}).exit_code == 69);
    REQUIRE(shop.run({"checkout", cart_file(shop)}).exit_code == 0);  // row 3: PENDING, never tried
    CHECK(query_text(shop.db(), "SELECT group_concat(status || attempts, ' ') FROM platform_outbox") == "DEAD10 DEAD10 PENDING0");
    const std::string before = shop.dump();
    CHECK(shop.run({"outbox", "retry"}).exit_code == 64);
    CHECK(shop.run({"outbox", "retry", "1", "--all-dead"}).exit_code == 64);
    CHECK(shop.dump() == before);
    const auto retried = shop.run({"outbox", "retry", "--all-dead", "--json"});
    REQUIRE(retried.exit_code == 0);
    CHECK(json::parse(retried.out)["requeued"] == 2);
    const json rows = json::parse(retried.out)["outbox"];
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["id"] == 1);
    CHECK(rows[1]["id"] == 2);
    CHECK(rows[1]["status"] == "PENDING");
    CHECK(rows[1]["attempts"] == 0);
    CHECK(query_text(shop.db(), "SELECT group_concat(status || attempts, ' ') FROM platform_outbox") == "PENDING0 PENDING0 PENDING0");
    const auto again = shop.run({"outbox", "retry", "--all-dead"});
    CHECK(again.exit_code == 0);
    CHECK(again.out == "outbox: 0 DEAD rows requeued: PENDING, attempts 0\n");
    PlatformSink healthy;
    CHECK(shop.run({"outbox", "flush", "--platform-url", healthy.url()}).exit_code == 0);
    CHECK(healthy.requests().size() == 3);
}

TEST_CASE("two concurrent flushes over 200 pending rows send each row once") {
    TestShop shop;
    std::string carts;
    for (int i = 0; i < 200; ++i) carts += R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}], "coupons": []})" "\n";
    json fixture = base_fixture();
    fixture["members"][0]["points"] = 10000000;
    fixture["products"][3]["stock"] = 1000;
    TestShop big(fixture);
    const auto b = big.run({"batch", big.write_file("c.jsonl", carts)});
    REQUIRE(b.exit_code == 0);
    PlatformSink sink;
    const auto results = run_shopctl_parallel(
        {{"--db", big.db(), "outbox", "flush", "--all", "--platform-url", sink.url()},
         {"--db", big.db(), "outbox", "flush", "--all", "--platform-url", sink.url()}});
    for (const auto& r : results) CHECK(r.exit_code == 0);
    std::multiset<std::string> keys;
    for (const auto& r : sink.requests()) keys.insert(r.headers.at("Idempotency-Key"));
    CHECK(keys.size() == 200);
    CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == 200);
    CHECK(query_text(big.db(), "SELECT count(*) FROM platform_outbox WHERE status = 'SENT'") == "200");
}

TEST_CASE("a cancel pushes its own event with its own key") {
    TestShop shop;
    PlatformSink sink;
    REQUIRE(shop.run({"checkout", cart_file(shop), "--platform-url", sink.url()}).exit_code == 0);
    const auto c = shop.run({"orders", "cancel", "1", "--json", "--platform-url", sink.url()});
    REQUIRE(c.exit_code == 0);
    CHECK(json::parse(c.out)["platform"]["status"] == "SENT");
    const auto requests = sink.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[1].headers.at("Idempotency-Key") == "order-1-cancelled");
    CHECK(json::parse(requests[1].body)["event"] == "order.cancelled");
}

TEST_CASE("each return pushes its own order.returned event, numbered from 1; a dry run pushes nothing") {
    TestShop shop;
    PlatformSink sink;
    REQUIRE(shop.run({"checkout", cart_file(shop, 13, 3), "--platform-url", sink.url()}).exit_code == 0);
    REQUIRE(shop.run({"orders", "return", "1", "13:1", "--dry-run", "--platform-url", sink.url()}).exit_code == 0);
    for (int i = 0; i < 2; ++i) {
        const auto r = shop.run({"orders", "return", "1", "13:1", "--json", "--platform-url", sink.url()});
        REQUIRE(r.exit_code == 0);
        CHECK(json::parse(r.out)["platform"]["status"] == "SENT");
    }
    const auto requests = sink.requests();
    REQUIRE(requests.size() == 3);
    CHECK(requests[1].headers.at("Idempotency-Key") == "order-1-return-1");
    CHECK(requests[2].headers.at("Idempotency-Key") == "order-1-return-2");
    const json event = json::parse(requests[2].body);
    CHECK(event["event"] == "order.returned");
    CHECK(event["return_no"] == 2);
    CHECK(event["lines"] == json::parse(R"([{"product_id": 13, "quantity": 1, "refund": 1000}])"));
    CHECK(event["refunded_points"] == 1000);
}

TEST_CASE("outbox leases follow the real clock: flushes with far-apart --now never push one row at once") {
    // Before leases ran on the real clock, a claim lasted 60 s of --now: a second flush
    // whose --now was 2 minutes later took rows the first was still pushing.
    json fixture = base_fixture();
    fixture["products"][3]["stock"] = 1000;
    TestShop shop(fixture);
    std::string carts;
    for (int i = 0; i < 30; ++i) carts += R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}], "coupons": []})" "\n";
    REQUIRE(shop.run({"batch", shop.write_file("c.jsonl", carts)}).exit_code == 0);
    PlatformSink sink;
    sink.delay_ms(60);  // a slow platform: a flush of 30 rows takes about 2 s
    Child first({SHOPCTL_BIN, "--db", shop.db(), "--now", "2026-11-26T03:15:00Z", "outbox", "flush", "--all",
                 "--platform-url", sink.url()},
                {});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Child second({SHOPCTL_BIN, "--db", shop.db(), "--now", "2026-11-26T03:17:00Z", "outbox", "flush", "--all",
                  "--platform-url", sink.url()},
                 {});
    const auto a = first.finish();
    const auto b = second.finish();
    CHECK(a.exit_code == 0);
    CHECK(b.exit_code == 0);
    CHECK(sink.most_concurrent_for_one_key() == 1);
    std::set<std::string> keys;
    for (const auto& r : sink.requests()) keys.insert(r.headers.at("Idempotency-Key"));
    CHECK(keys.size() == 30);  // none missed
    CHECK(query_text(shop.db(), "SELECT count(*) FROM platform_outbox WHERE status = 'SENT'") == "30");
    CHECK(query_text(shop.db(), "SELECT count(*) FROM platform_outbox WHERE claim_token IS NOT NULL") == "0");
}

TEST_CASE("a row is marked only by the holder of its lease") {
    TestShop shop;
    REQUIRE(shop.run({"checkout", cart_file(shop)}).exit_code == 0);
    // Another sender holds the row (its lease runs for an hour of real time): a flush leaves it alone.
    exec_sql(shop.db(), "UPDATE platform_outbox SET claim_token = 'other', claimed_until = '2999-01-01T00:00:00Z'");
    PlatformSink sink;
    const auto r = shop.run({"outbox", "flush", "--all", "--platform-url", sink.url()});
    CHECK(r.exit_code == 0);
    CHECK(sink.requests().empty());
    CHECK(query_text(shop.db(), "SELECT status || ':' || attempts FROM platform_outbox") == "PENDING:0");
    // Once that lease is over by the real clock, the row is anyone's.
    exec_sql(shop.db(), "UPDATE platform_outbox SET claimed_until = '2000-01-01T00:00:00Z'");
    CHECK(shop.run({"outbox", "flush", "--all", "--platform-url", sink.url()}).exit_code == 0);
    CHECK(sink.requests().size() == 1);
    CHECK(query_text(shop.db(), "SELECT status FROM platform_outbox") == "SENT");
}

TEST_CASE("credentials in a URL are never echoed; a token with CR/LF is refused, nothing written") {
    TestShop shop;
    const std::string before = shop.dump();
    const auto ftp = shop.run({"checkout", cart_file(shop), "--platform-url", "ftp://user:PASSWORD@example.invalid/x"});
    CHECK(ftp.exit_code == 65);
    CHECK(ftp.err.find("PASSWORD") == std::string::npos);
    CHECK(ftp.err.find("ftp://***@example.invalid/x") != std::string::npos);
    PlatformSink sink;
    RunOptions injected{"", {{"SHOPCTL_PLATFORM_TOKEN", "abc\r\nX-Evil: 1"}}, ""};
    const auto r = shop.run({"checkout", cart_file(shop), "--platform-url", sink.url(), "--json"}, injected);
    CHECK(r.exit_code == 65);
    CHECK(json::parse(r.out)["error"]["code"] == "INVALID_INPUT");
    CHECK(r.err.find("X-Evil") == std::string::npos);
    CHECK(r.err.find("abc") == std::string::npos);
    CHECK(sink.requests().empty());
    CHECK(shop.dump() == before);
}

TEST_CASE("batch lines are printed after each group's commit, then pushed; the push outcome is in the outbox") {
    TestShop shop;
    PlatformSink sink;
    std::string carts;
    for (int i = 0; i < 5; ++i)
        carts += json{{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}, {"coupons", json::array()},
                      {"idempotency_key", "k" + std::to_string(i)}}.dump() + "\n";
    const auto r = shop.run({"batch", shop.write_file("c.jsonl", carts), "--commit-every", "2", "--platform-url", sink.url()});
    REQUIRE(r.exit_code == 0);
    int line = 0;
    std::istringstream lines(r.out);
    std::string text;
    while (std::getline(lines, text)) {
        const json j = json::parse(text);
        CHECK(j["idempotency_key"] == "k" + std::to_string(line));
        CHECK(j["receipt"]["platform"]["status"] == "QUEUED");  // printed before the push
        ++line;
    }
    CHECK(line == 5);
    CHECK(sink.requests().size() == 5);
    CHECK(query_text(shop.db(), "SELECT count(*) FROM platform_outbox WHERE status = 'SENT'") == "5");
}

TEST_CASE("orders cancel --from: each order on its own, refusals named; after one failed push the rest are only queued") {
    TestShop shop;
    for (int i = 0; i < 5; ++i) REQUIRE(shop.run({"checkout", cart_file(shop)}).exit_code == 0);  // orders 1..5

    // A bad line, a repeated id or a missing file refuses the whole file: nothing written.
    const std::string before = shop.dump();
    const auto bad = shop.run({"orders", "cancel", "--from", "-"}, RunOptions{"1\nseven\n", {}, ""});
    CHECK(bad.exit_code == 65);
    CHECK(bad.err.find("line 2: ORDER_ID") != std::string::npos);
    const auto twice = shop.run({"orders", "cancel", "--from", "-"}, RunOptions{"1\n# again\n1\n", {}, ""});
    CHECK(twice.exit_code == 65);
    CHECK(twice.err.find("line 3: ORDER_ID 1 is on line 1 already") != std::string::npos);
    CHECK(shop.run({"orders", "cancel", "--from", shop.dir() + "/nope.txt"}).exit_code == 66);
    CHECK(shop.run({"orders", "cancel", "1", "--from", "-"}, RunOptions{"2\n", {}, ""}).exit_code == 64);
    CHECK(shop.dump() == before);

    // Orders 1 and 3 cancelled and pushed; 99 refused and named; the rest untouched.
    PlatformSink healthy;
    const auto some = shop.run({"orders", "cancel", "--from", "-", "--json", "--platform-url", healthy.url()},
                               RunOptions{"1\r\n\n3\n99\n", {}, ""});
    CHECK(some.exit_code == 1);
    const json result = json::parse(some.out);
    REQUIRE(result["cancelled"].size() == 2);
    CHECK(result["cancelled"][0]["order_id"] == 1);
    CHECK(result["cancelled"][1]["refunded_points"] == 1000);
    CHECK(result["cancelled"][1]["platform"]["status"] == "SENT");
    REQUIRE(result["failed"].size() == 1);
    CHECK(result["failed"][0]["line"] == 4);
    CHECK(result["failed"][0]["order_id"] == 99);
    CHECK(result["failed"][0]["error"]["code"] == "ORDER_NOT_FOUND");
    CHECK(some.err.find("line 4: order 99: ORDER_NOT_FOUND") != std::string::npos);
    REQUIRE(healthy.requests().size() == 2);
    CHECK(healthy.requests()[1].headers.at("Idempotency-Key") == "order-3-cancelled");
    CHECK(query_text(shop.db(), "SELECT group_concat(status) FROM (SELECT status FROM orders ORDER BY id)") ==
          "CANCELLED,PAID,CANCELLED,PAID,PAID");
    CHECK(query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 1") == "47000");

    // The platform fails: one push is tried, the other cancels are queued for flush.
    PlatformSink failing;
    failing.answer(500);
    const auto queued = shop.run({"orders", "cancel", "--from", "-", "--platform-url", failing.url()},
                                 RunOptions{"2\n4\n5\n", {}, ""});
    CHECK(queued.exit_code == 0);
    CHECK(queued.out.find("cancelled 3 of 3 orders") != std::string::npos);
    CHECK(failing.requests().size() == 1);
    CHECK(query_text(shop.db(), "SELECT group_concat(attempts) FROM (SELECT attempts FROM platform_outbox "
                                "WHERE event = 'order.cancelled' AND order_id IN (2, 4, 5) ORDER BY order_id)") == "1,0,0");
    CHECK(shop.run({"outbox", "flush", "--all", "--platform-url", healthy.url()}).exit_code == 0);
    CHECK(healthy.requests().size() == 2 + 5 + 3);  // the 5 checkouts (never pushed) and the 3 cancels
    CHECK(shop.run({"verify"}).exit_code == 0);
}

namespace {
// The frames a progress line drew on a terminal: the text between carriage returns,
// without the erase-to-end-of-line that follows each.
std::vector<std::string> progress_frames(const std::string& terminal_output) {
    std::vector<std::string> frames;
    std::string frame;
    std::istringstream in(terminal_output);
    while (std::getline(in, frame, '\r')) {
        const auto erase = frame.find("\033[K");
        if (erase != std::string::npos) frame.resize(erase);
        if (frame.find('%') != std::string::npos || frame.find(" tried") != std::string::npos) frames.push_back(frame);
    }
    return frames;
}
}  // namespace

TEST_CASE("on a terminal, batch and outbox flush draw a progress line that fits it and counts failures") {
    json fixture = base_fixture();
    fixture["members"][0]["points"] = 100000000;
    fixture["products"][3]["stock"] = 1000000;
    TestShop shop(fixture);
    std::string carts = "{\"member_id\": 404, \"items\": [{\"product_id\": 13, \"quantity\": 1}]}\n";  // refused
    for (int i = 0; i < 3000; ++i) carts += "{\"member_id\": 1, \"items\": [{\"product_id\": 13, \"quantity\": 1}]}\n";
    const std::string file = shop.write_file("carts.jsonl", carts);
    const std::string base = std::string(SHOPCTL_BIN) + " --db " + shop.db() + " --now 2026-11-26T03:00:00Z ";
    // script(1) gives the command a terminal; stty makes it 40 columns wide.
    const auto batch = run_program({"/usr/bin/script", "-qec",
                                    "stty cols 40; " + base + "batch " + file + " --commit-every 1 > /dev/null", "/dev/null"});
    REQUIRE(batch.exit_code == 1);  // one cart failed
    const auto frames = progress_frames(batch.out);
    REQUIRE_FALSE(frames.empty());  // 3,000 synced commits take well over the first 100 ms
    bool failure_shown = false;
    for (const auto& f : frames) {
        INFO(f);
        CHECK(f.size() <= 39);
        if (f.find(" 0 carts") != std::string::npos) CHECK(f.find(" 0%") != std::string::npos);  // no read-ahead
        if (f.find("1 failed") != std::string::npos) failure_shown = true;
    }
    CHECK(failure_shown);
    CHECK(query_text(shop.db(), "SELECT count(*) FROM orders") == "3000");

    // --quiet: no progress line, on a terminal too.
    const auto quiet = run_program({"/usr/bin/script", "-qec",
                                    "stty cols 40; " + base + "batch " + file + " --commit-every 1 --quiet > /dev/null", "/dev/null"});
    CHECK(quiet.exit_code == 1);
    CHECK(progress_frames(quiet.out).empty());
    CHECK(quiet.out.find("batch:") == std::string::npos);
    CHECK(query_text(shop.db(), "SELECT count(*) FROM orders") == "6000");

    PlatformSink sink;
    const auto flush = run_program({"/usr/bin/script", "-qec",
                                    "stty cols 60; " + base + "outbox flush --platform-url " + sink.url(), "/dev/null"});
    CHECK(flush.exit_code == 0);
    const auto flush_frames = progress_frames(flush.out);
    REQUIRE_FALSE(flush_frames.empty());
    for (const auto& f : flush_frames) {
        INFO(f);
        CHECK(f.size() <= 59);
        CHECK(f.find(" delivered") != std::string::npos);
    }
    CHECK(query_text(shop.db(), "SELECT count(*) FROM platform_outbox WHERE status = 'SENT'") == "6000");
}
