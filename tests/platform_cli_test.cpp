// The data platform push (SPEC.md section 7) against a real HTTP server on 127.0.0.1.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>

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
    const int refused_port = closed_port();
    const std::vector<Case> cases = {
        {"500", sink.url(), [&] { sink.answer(500); }},
        {"429", sink.url(), [&] { sink.answer(429); }},
        {"refused", "http://127.0.0.1:" + std::to_string(refused_port) + "/orders", [] {}},
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
