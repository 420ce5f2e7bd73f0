// The PostgreSQL store (SPEC.md section 10) through the real binary against a real
// server: a throwaway cluster this test process starts and stops (tests/support/pg_store.h).
// The same commands give the same bytes as on SQLite; refusals leave every table and
// sequence as they were; and the guarantees hold across many processes at once.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/closed_port.h"
#include "tests/support/commit_cutter.h"
#include "tests/support/pg_store.h"
#include "tests/support/platform_sink.h"
#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

struct Step {
    std::vector<std::string> args;
    std::string stdin_text;
};

std::string describe(const ProcessResult& r) {
    return "exit " + std::to_string(r.exit_code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

// Members 1..n with plenty of points; product p (1..n) of stock 100,000 for member p,
// and product 1000 of stock `hot_stock` that everyone wants.
json many_members_fixture(int n, long long hot_stock) {
    json f = {{"members", json::array()}, {"products", json::array()}, {"coupons", json::array()},
              {"coupon_issues", json::array()}};
    f["products"].push_back({{"id", 1000}, {"name", "Limited edition"}, {"price", 1000}, {"stock", hot_stock},
                             {"status", "ON_SALE"}});
    for (int m = 1; m <= n; ++m) {
        f["members"].push_back({{"id", m}, {"name", "member " + std::to_string(m)}, {"points", 100000000}});
        f["products"].push_back({{"id", m}, {"name", "product " + std::to_string(m)}, {"price", 500}, {"stock", 100000},
                                 {"status", "ON_SALE"}});
    }
    return f;
}

std::string carts_for(int member, int product, int count, const std::string& key_prefix = "") {
    std::ostringstream out;
    for (int i = 0; i < count; ++i) {
        json cart = {{"member_id", member}, {"items", {{{"product_id", product}, {"quantity", 1}}}}};
        if (!key_prefix.empty()) cart["idempotency_key"] = key_prefix + std::to_string(i);
        out << cart.dump() << '\n';
    }
    return out.str();
}

// Each batch line's outcome: error code, or "ok".
std::multiset<std::string> outcomes(const std::string& jsonl) {
    std::multiset<std::string> out;
    std::istringstream lines(jsonl);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] != '{') continue;
        const json j = json::parse(line);
        out.insert(j["ok"] == true ? "ok" : j["error"]["code"].get<std::string>());
    }
    return out;
}

}  // namespace

// A batch of refusals, replays and orders, idempotency keys starting with `key`. In a
// group each cart's reads go with the cart before's writes: refused members and
// products, the same member and product again and the same key again all stand there.
std::string mixed_carts(const std::string& key) {
    const std::string k = R"(, "idempotency_key": ")" + key + R"(-1"})";
    return R"({"member_id": 99, "items": [{"product_id": 13, "quantity": 1}]})" "\n"
           R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}]})" "\n"
           R"({"member_id": 99, "items": [{"product_id": 13, "quantity": 1}]})" "\n"  // read ahead, refused
           R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}]})" "\n"
           R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}], "coupons": [7]})" "\n"  // used: looked up alone
           R"({"items": [{"product_id": 13, "quantity": 1}]})" "\n"
           R"({"member_id": 1, "items": [{"product_id": 77, "quantity": 1}, {"product_id": 13, "quantity": 1}]})" "\n"
           R"({"member_id": 1, "items": [{"product_id": 12, "quantity": 1}]})" "\n"
           R"({"member_id": 2, "items": [{"product_id": 13, "quantity": 1}])" + k + "\n" +
           R"({"member_id": 2, "items": [{"product_id": 13, "quantity": 1}])" + k + "\n" +
           R"({"member_id": 2, "items": [{"product_id": 13, "quantity": 2}])" + k + "\n" +
           R"({"member_id": 1, "items": [{"product_id": 11, "quantity": 99}]})" "\n"
           R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}, {"product_id": 13, "quantity": 1}]})" "\n";
}

TEST_CASE("the same commands give the same bytes on SQLite and on PostgreSQL", "[pg]") {
    TestShop lite;
    TestShop pg(base_fixture(), fresh_schema_uri());
    const json good = {{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 2}}, {{"product_id", 13}, {"quantity", 3}}}}};
    const std::vector<Step> steps = {
        {{"checkout", "-", "--json"}, good.dump()},
        {{"checkout", "-"}, json{{"member_id", 2}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}.dump()},
        {{"quote", "-", "--json", "--explain"}, good.dump()},
        {{"checkout", "-", "--json"}, json{{"member_id", 99}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}.dump()},
        {{"checkout", "-", "--json"}, json{{"member_id", 1}, {"items", {{{"product_id", 77}, {"quantity", 1}}}}}.dump()},
        {{"checkout", "-", "--json"}, json{{"member_id", 1}, {"items", {{{"product_id", 12}, {"quantity", 1}}}}}.dump()},
        {{"checkout", "-", "--json"}, json{{"member_id", 1}, {"items", {{{"product_id", 11}, {"quantity", 9}}}}}.dump()},
        {{"checkout", "-", "--json"},
         json{{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}, {"coupons", {7}}}.dump()},
        {{"checkout", "-", "--json"}, json{{"member_id", 3}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}.dump()},
        {{"checkout", "-", "--json"}, R"({"member_id": 1, "items": []})"},
        {{"checkout", "-", "--json"},
         json{{"member_id", 1}, {"items", {{{"product_id", 11}, {"quantity", 1}}}}, {"idempotency_key", "po-1"}}.dump()},
        {{"checkout", "-", "--json"},
         json{{"member_id", 1}, {"items", {{{"product_id", 11}, {"quantity", 1}}}}, {"idempotency_key", "po-1"}}.dump()},
        {{"checkout", "-", "--json"},
         json{{"member_id", 1}, {"items", {{{"product_id", 11}, {"quantity", 2}}}}, {"idempotency_key", "po-1"}}.dump()},
        {{"orders", "list"}, ""},
        {{"orders", "list", "--json", "--member", "1"}, ""},
        {{"orders", "list", "--json", "--key", "po-1"}, ""},
        {{"orders", "list", "--json", "--key", "po-1", "--member", "2"}, ""},
        {{"orders", "show", "1", "--json"}, ""},
        {{"orders", "show", "1"}, ""},
        {{"points", "charge", "3", "5000", "--json"}, ""},
        {{"points", "show", "3"}, ""},
        {{"coupons", "issue", "2", "1", "--json"}, ""},
        {{"points", "charge", "--from", "-", "--json"}, "1 100\n3,200\n1\t300\n"},
        {{"points", "charge", "--from", "-", "--json"}, "1 100\n404 5\n"},
        {{"coupons", "issue", "--from", "-"}, "3 1\n1 2\n"},
        {{"coupons", "list", "--member", "1", "--json"}, ""},
        {{"coupons", "list", "--member", "1", "--limit", "1", "--after", "1", "--json"}, ""},
        {{"points", "show", "1", "--limit", "2", "--json"}, ""},
        {{"points", "show", "1", "--limit", "2", "--before", "3", "--format", "csv"}, ""},
        {{"products", "set", "13", "--price", "1100", "--json"}, ""},
        {{"stock", "add", "13", "5"}, ""},
        {{"stock", "add", "13", "-1000"}, ""},
        {{"products", "list", "--json"}, ""},
        {{"orders", "return", "1", "10:1", "--json"}, ""},
        {{"orders", "return", "1", "13:1", "--dry-run", "--explain"}, ""},
        {{"orders", "cancel", "2", "--json"}, ""},
        {{"orders", "cancel", "2", "--json"}, ""},
        // Refusals, replays and conflicts among orders in one group and one by one: the
        // reads a server was sent ahead for a refused cart must never answer the next one.
        {{"batch", "-", "--json"}, mixed_carts("b")},
        {{"batch", "-", "--json", "--commit-every", "1"}, mixed_carts("c")},
        {{"batch", "-", "--json"},
         carts_for(1, 13, 3) + R"({"member_id": 2, "items": [{"product_id": 10, "quantity": 50}]})" "\nnot json\n"},
        {{"orders", "show", "1"}, ""},
        {{"orders", "cancel", "--from", "-", "--json"}, "3\n2\n404\n"},
        {{"orders", "cancel", "--from", "-"}, "4\n"},
        {{"outbox", "list", "--json"}, ""},
        {{"outbox", "retry", "1"}, ""},
        {{"outbox", "retry", "--all-dead", "--json"}, ""},
        {{"orders", "export"}, ""},
        {{"orders", "export", "--member", "1", "--status", "partially_returned", "--format", "jsonl"}, ""},
        {{"orders", "list", "--format", "tsv"}, ""},
        {{"outbox", "list", "--limit", "2", "--status", "pending"}, ""},
        {{"products", "list", "--limit", "2", "--after", "10", "--json"}, ""},
        {{"verify", "--json"}, ""},
    };
    for (const Step& step : steps) {
        const auto a = lite.run(step.args, {step.stdin_text, {}, ""});
        const auto b = pg.run(step.args, {step.stdin_text, {}, ""});
        std::string command;
        for (const auto& arg : step.args) command += arg + " ";
        INFO(command << "\nSQLite: " << describe(a) << "\nPostgreSQL: " << describe(b));
        CHECK(a.exit_code == b.exit_code);
        CHECK(a.out == b.out);
        if (step.args[0] != "batch") CHECK(a.err == b.err);  // a batch's summary has its own timings
    }
}

TEST_CASE("a cart of 150 lines (items written 64 a statement) is the same order on both stores", "[pg]") {
    json fixture = many_members_fixture(150, 10);
    fixture["coupons"].push_back({{"id", 1}, {"name", "10% off product 70"}, {"scope", "PRODUCT"}, {"product_id", 70},
                                  {"discount_type", "PERCENT"}, {"discount_value", 10}});
    fixture["coupon_issues"].push_back({{"id", 1}, {"coupon_id", 1}, {"member_id", 1}, {"status", "ISSUED"}});
    TestShop lite(fixture);
    TestShop pg(fixture, fresh_schema_uri());
    json cart = {{"member_id", 1}, {"items", json::array()}, {"coupons", {1}}};
    for (int p = 1; p <= 150; ++p) cart["items"].push_back({{"product_id", p}, {"quantity", 1 + p % 3}});
    const auto a = lite.checkout(cart);
    const auto b = pg.checkout(cart);
    INFO(describe(a) << describe(b));
    REQUIRE(a.exit_code == 0);
    CHECK(a.out == b.out);
    const json receipt = json::parse(a.out);
    REQUIRE(receipt["items"].size() == 150);
    CHECK(receipt["items"][69]["coupon_issue_id"] == 1);  // line 70: past the first statement's 64 rows
    const auto lines = [](const TestShop& shop) { return shop.run({"orders", "export", "--format", "tsv"}).out; };
    const std::string exported = lines(pg);
    CHECK(lines(lite) == exported);
    CHECK(std::count(exported.begin(), exported.end(), '\n') == 151);  // the header and 150 lines
    CHECK(pg.run({"verify"}).exit_code == 0);
}

TEST_CASE("a refused checkout leaves every table and every id sequence as it was", "[pg]") {
    TestShop shop(base_fixture(), fresh_schema_uri());
    REQUIRE(shop.checkout({{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}).exit_code == 0);
    const std::vector<std::pair<json, int>> refused = {
        {{{"member_id", 99}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}, 10},
        {{{"member_id", 1}, {"items", {{{"product_id", 77}, {"quantity", 1}}}}}, 11},
        {{{"member_id", 1}, {"items", {{{"product_id", 12}, {"quantity", 1}}}}}, 12},
        {{{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}, {{"product_id", 11}, {"quantity", 4}}}}}, 13},
        {{{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}, {"coupons", {5}}}, 14},
        {{{"member_id", 2}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}}, 16},
    };
    for (const auto& [cart, code] : refused) {
        const std::string before = shop.dump();
        const auto r = shop.checkout(cart);
        INFO(cart.dump() << "\n" << describe(r));
        CHECK(r.exit_code == code);
        CHECK(shop.dump() == before);
    }
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("a write sent ahead in the pipeline that fails fails the whole checkout: every table as it was", "[pg]") {
    TestShop shop(base_fixture(), fresh_schema_uri());
    auto tables = [&] {  // the dump without its id sequences: a failed write may have taken an id
        std::istringstream in(shop.dump());
        std::string line, out;
        while (std::getline(in, line))
            if (line.find("_seq=") == std::string::npos) out += line + "\n";
        return out;
    };
    // The history row is the last write before the outbox insert; a trigger makes it fail.
    pg_exec(shop.db(), "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                       "$$ BEGIN RAISE EXCEPTION 'history refused by test'; END $$; "
                       "CREATE TRIGGER refuse BEFORE INSERT ON point_history FOR EACH ROW EXECUTE FUNCTION refuse()");
    const std::string before = tables();
    const json cart = {{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 2}}}}};
    const auto r = shop.checkout(cart);
    INFO(describe(r));
    CHECK(r.exit_code == 74);
    CHECK(r.err.find("history refused by test") != std::string::npos);
    CHECK(tables() == before);
    // In one process, the next cart after a refused one: the statements whose first
    // prepare rode in the failed round trip (skipped by the server) are prepared again.
    pg_exec(shop.db(), "CREATE OR REPLACE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                       "$$ BEGIN IF NEW.member_id = 1 THEN RAISE EXCEPTION 'history refused by test'; END IF; "
                       "RETURN NEW; END $$");
    const json other = {{"member_id", 2}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}};
    REQUIRE(shop.run({"points", "charge", "2", "100000"}).exit_code == 0);
    const std::string member_1 =
        "SELECT (SELECT count(*) FROM orders WHERE member_id = 1) || ' ' || (SELECT balance FROM point WHERE member_id = 1)";
    const std::string member_1_before = query_text(shop.db(), member_1);
    for (const char* commit_every : {"1", "100"}) {
        const auto b = shop.run({"batch", shop.write_file("two.jsonl", cart.dump() + "\n" + other.dump() + "\n"),
                                 "--json", "--commit-every", commit_every});
        INFO(commit_every << "\n" << describe(b));
        CHECK(b.exit_code == 1);
        CHECK(b.out.find("history refused by test") != std::string::npos);
        CHECK(b.out.find("\"line\":2,\"idempotency_key\":null,\"ok\":true") != std::string::npos);
        CHECK(query_text(shop.db(), member_1) == member_1_before);  // the refused cart left nothing
    }
    pg_exec(shop.db(), "DROP TRIGGER refuse ON point_history");
    CHECK(shop.checkout(cart).exit_code == 0);
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("a guarded write that changes no row: in a group the cart rolls back; alone, sent with its COMMIT, it says so",
          "[pg]") {
    TestShop shop(base_fixture(), fresh_schema_uri());
    // Something outside shopctl makes product 10's stock update change no row.
    pg_exec(shop.db(), "CREATE FUNCTION skip() RETURNS trigger LANGUAGE plpgsql AS "
                       "$$ BEGIN IF OLD.product_id = 10 THEN RETURN NULL; END IF; RETURN NEW; END $$; "
                       "CREATE TRIGGER skip BEFORE UPDATE ON stock FOR EACH ROW EXECUTE FUNCTION skip()");
    const json cart = {{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}};
    const json other = {{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}};
    const std::string stock_10 = "SELECT quantity FROM stock WHERE product_id = 10";
    const std::string stock_before = query_text(shop.db(), stock_10);
    // In a group the answers are read before the cart's savepoint is released.
    const auto grouped = shop.run({"batch", shop.write_file("g.jsonl", cart.dump() + "\n" + other.dump() + "\n"),
                                   "--json", "--commit-every", "10"});
    INFO(describe(grouped));
    CHECK(grouped.exit_code == 1);
    CHECK(grouped.out.find("changed 0 rows, not 1") != std::string::npos);
    CHECK(grouped.out.find("\"line\":2,\"idempotency_key\":null,\"ok\":true") != std::string::npos);
    CHECK(count_rows(shop.db(), "orders") == 1);
    // Nothing of the refused cart stayed: no item, no stock taken, one USE (the other cart's).
    CHECK(query_text(shop.db(), "SELECT count(*) FROM order_item WHERE product_id = 10") == "0");
    CHECK(query_text(shop.db(), stock_10) == stock_before);
    CHECK(query_text(shop.db(), "SELECT count(*) FROM point_history WHERE reason = 'USE'") == "1");
    // Alone, the writes and the COMMIT are one round trip: the server commits what no
    // error stopped, and shopctl says so rather than print a receipt or pass in silence.
    const auto alone = shop.checkout(cart);
    INFO(describe(alone));
    CHECK(alone.exit_code == 74);
    CHECK(alone.err.find("changed 0 rows, not 1") != std::string::npos);
    CHECK(alone.err.find("the transaction was committed") != std::string::npos);
    CHECK(count_rows(shop.db(), "orders") == 2);
}

TEST_CASE("the scenario library passes on PostgreSQL, each scenario in a schema of its own, dropped after", "[pg]") {
    const std::string uri = test_cluster_uri();
    const auto r = run_shopctl({"--db", uri, "replay", std::string(SHOPCTL_SOURCE_DIR) + "/fixtures/scenarios"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(" 0 failed") != std::string::npos);
    CHECK(pg_query_text(uri, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'shopctl_scratch_%'") == "0");
}

TEST_CASE("a replay killed with -9 leaves its scratch schema; the next replay drops it, never a live one's", "[pg]") {
    const std::string uri = test_cluster_uri();
    const std::string scratch_count =
        "SELECT count(*) FROM pg_namespace WHERE starts_with(nspname, 'shopctl_scratch_')";
    REQUIRE(pg_query_text(uri, scratch_count) == "0");
    // A scenario that keeps its schema for a few seconds: one batch of many carts.
    const std::string dir = make_temp_dir();
    std::ofstream(dir + "/shop.json") << json{{"members", {{{"id", 1}, {"name", "m"}, {"points", 1000000000}}}},
                                              {"products", {{{"id", 10}, {"name", "p"}, {"price", 100}, {"stock", 1000000}, {"status", "ON_SALE"}}}}}
                                             .dump();
    json batch = json::array();
    for (int i = 0; i < 4000; ++i) batch.push_back({{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}});
    std::ofstream(dir + "/long.json")
        << json{{"name", "long"}, {"now", "2026-11-26T00:00:00Z"}, {"fixture", "shop.json"},
                {"steps", {{{"batch", batch}}}}, {"expect_state", {{"orders", 4000}}}}
               .dump();
    // Waits until `count` scratch schemas other than `besides` exist.
    const auto wait_for_scratch = [&](const std::string& count, const std::string& besides = "") {
        const std::string query = scratch_count + " AND nspname <> '" + besides + "'";
        for (int i = 0; i < 1000 && pg_query_text(uri, query) != count; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return pg_query_text(uri, query);
    };
    const auto wait_for_no_advisory_lock = [&] {
        for (int i = 0; i < 1000 && pg_query_text(uri, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") != "0"; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    };
    // Any scenario: each starts by dropping the orphans it finds.
    const std::string one_scenario = std::string(SHOPCTL_SOURCE_DIR) + "/fixtures/scenarios/batch-carts-are-atomic-each.json";

    // A live session's scratch schema (its advisory lock held: psql stands in for a
    // replay in the middle of its scenario) is left alone by a replay that runs meanwhile.
    {
        const std::string key = "4242424242";  // the stand-in's schema: shopctl_scratch_4242424242
        Child live({"/usr/bin/psql", uri, "-v", "ON_ERROR_STOP=1", "-c", "SELECT pg_advisory_lock(" + key + ")", "-c",
                    "CREATE SCHEMA shopctl_scratch_" + key, "-c", "SELECT pg_sleep(120)"},
                   {});
        REQUIRE(wait_for_scratch("1") == "1");
        CHECK(run_shopctl({"--db", uri, "replay", one_scenario}).exit_code == 0);
        CHECK(pg_query_text(uri, scratch_count) == "1");
        // Its session ends (a backend asleep in a query would not notice its client go).
        pg_query_text(uri, "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'");
        live.finish();
        wait_for_no_advisory_lock();
    }

    // Killed, a replay cannot drop its schema; the next replay does.
    CHECK(pg_query_text(uri, scratch_count) == "1");  // the stand-in's, orphaned now
    Child doomed({SHOPCTL_BIN, "--db", uri, "replay", dir + "/long.json"}, {});
    REQUIRE(wait_for_scratch("1", "shopctl_scratch_4242424242") == "1");
    kill(doomed.pid(), SIGKILL);
    doomed.finish();
    // It dropped the stand-in's orphan before making its own, which it left behind.
    CHECK(pg_query_text(uri, scratch_count) == "1");
    CHECK(pg_query_text(uri, scratch_count + " AND nspname = 'shopctl_scratch_4242424242'") == "0");
    // The server ends the dead client's session (and its advisory lock) when it sees the socket close.
    wait_for_no_advisory_lock();
    CHECK(run_shopctl({"--db", uri, "replay", one_scenario}).exit_code == 0);
    CHECK(pg_query_text(uri, scratch_count) == "0");
    remove_tree(dir);
}

TEST_CASE("init from two processes at once; other commands on a schema without tables create nothing", "[pg]") {
    const std::string uri = fresh_schema_uri();
    const auto none = run_shopctl({"--db", uri, "products", "list"});
    CHECK(none.exit_code == 74);
    CHECK(none.err.find("run `shopctl init`") != std::string::npos);
    CHECK(pg_query_text(uri, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()") == "0");
    const auto both = run_shopctl_parallel({{"--db", uri, "init"}, {"--db", uri, "init"}});
    for (const auto& r : both) CHECK(r.exit_code == 0);
    CHECK(run_shopctl({"--db", uri, "init", "--json"}).out.find("\"created\":false") != std::string::npos);
    CHECK(run_shopctl({"--db", uri, "verify"}).exit_code == 0);
}

TEST_CASE("no server, no database, no such login: STORE_ERROR naming host, port and database, never the password",
          "[pg]") {
    const std::string socket_uri = test_cluster_uri();
    const ClosedPort no_server;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"postgresql://shop:Secr3tPass@127.0.0.1:" + std::to_string(no_server.port()) + "/shop", "127.0.0.1"},
        {with_parameter(socket_uri, "dbname=no_such_db&password=Secr3tPass"), "no_such_db"},
        {with_parameter(socket_uri, "user=no_such_role&password=Secr3tPass"), "no_such_role"},
    };
    for (const auto& [uri, named] : cases) {
        for (const char* command : {"init", "verify"}) {
            const auto r = run_shopctl({"--db", uri, command});
            INFO(uri << " " << command << "\n" << describe(r));
            CHECK(r.exit_code == 74);
            CHECK(r.err.find("STORE_ERROR") != std::string::npos);
            CHECK(r.err.find(named) != std::string::npos);
            CHECK(r.err.find("port") != std::string::npos);
            CHECK(r.err.find("Secr3tPass") == std::string::npos);
            CHECK(r.out.find("Secr3tPass") == std::string::npos);
        }
    }
}

TEST_CASE("reads work in read-only transactions (a hot standby); writes are refused and write nothing", "[pg]") {
    TestShop shop(base_fixture(), fresh_schema_uri());
    REQUIRE(shop.checkout({{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}).exit_code == 0);
    const std::string before = shop.dump();
    std::string read_only = shop.db();
    read_only.replace(read_only.find("options=-c"), 10, "options=-cdefault_transaction_read_only%3Don%20-c");
    const json cart = {{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}};
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"orders", "list"}, {"orders", "show", "1"}, {"points", "show", "1"}, {"coupons", "list", "--member", "1"},
             {"products", "list"}, {"outbox", "list"}, {"verify"}, {"quote", "-"}}) {
        const auto r = run_shopctl([&] {
            std::vector<std::string> all = {"--db", read_only, "--now", kNow};
            all.insert(all.end(), args.begin(), args.end());
            return all;
        }(), {cart.dump(), {}, ""});
        INFO(args[0] << "\n" << describe(r));
        CHECK(r.exit_code == 0);
    }
    const auto write = run_shopctl({"--db", read_only, "--now", kNow, "checkout", "-"}, {cart.dump(), {}, ""});
    CHECK(write.exit_code == 74);
    CHECK(write.err.find("read-only") != std::string::npos);
    CHECK(shop.dump() == before);
}

TEST_CASE("a row lock held past --busy-timeout is STORE_BUSY and nothing is written; others do not wait", "[pg]") {
    TestShop shop(base_fixture(), fresh_schema_uri());
    const std::string before = shop.dump();
    PgSession holder(shop.db());
    holder.query("BEGIN");
    holder.query("SELECT id FROM product WHERE id = 10 FOR UPDATE");
    const auto t0 = std::chrono::steady_clock::now();
    const auto busy = shop.run({"--busy-timeout", "300", "checkout", "-", "--json"},
                               {json{{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}}.dump(), {}, ""});
    CHECK(busy.exit_code == 75);
    CHECK(json::parse(busy.out)["error"]["code"] == "STORE_BUSY");
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    CHECK(shop.dump() == before);
    // 0 means do not wait (PostgreSQL's own 0 would wait for ever).
    const auto no_wait = shop.run({"--busy-timeout", "0", "checkout", "-"},
                                  {json{{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}}.dump(), {}, ""});
    CHECK(no_wait.exit_code == 75);
    CHECK(shop.dump() == before);
    // Another product and member: no wait on the held row.
    const auto other = shop.run({"--busy-timeout", "300", "checkout", "-"},
                                {json{{"member_id", 2}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}.dump(), {}, ""});
    CHECK(other.exit_code == 0);
    holder.query("ROLLBACK");
    const auto after = shop.run({"checkout", "-"},
                                {json{{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}}.dump(), {}, ""});
    CHECK(after.exit_code == 0);
}

TEST_CASE("a cart read ahead of its turn whose row another writer holds reads it again, locked: no decision on a stale row",
          "[pg]") {
    TestShop shop(base_fixture(), fresh_schema_uri());
    // Another writer, taking the same locks, empties product 10 and has not committed.
    PgSession holder(shop.db());
    holder.query("BEGIN");
    holder.query("SELECT id FROM product WHERE id = 10 FOR NO KEY UPDATE");
    holder.query("UPDATE stock SET quantity = 0 WHERE product_id = 10");
    // The second cart's reads go with the first cart's writes; its product row is taken.
    const json first = {{"member_id", 2}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}};
    const json second = {{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}};
    Child batch({SHOPCTL_BIN, "--db", shop.db(), "batch",
                 shop.write_file("ahead.jsonl", first.dump() + "\n" + second.dump() + "\n"), "--json", "--commit-every",
                 "10"},
                {});
    const std::string waiting = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shopctl' "
                                "AND wait_event_type = 'Lock'";
    for (int i = 0; i < 500 && pg_query_text(shop.db(), waiting) == "0"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    holder.query("COMMIT");
    const auto done = batch.finish();
    INFO(describe(done));
    // Decided on the committed row (none left), not on the one read before the lock.
    CHECK(done.exit_code == 1);
    CHECK(outcomes(done.out) == std::multiset<std::string>{"ok", "OUT_OF_STOCK"});
    CHECK(query_text(shop.db(), "SELECT quantity FROM stock WHERE product_id = 10") == "0");
    CHECK(query_text(shop.db(), "SELECT count(*) FROM order_item WHERE product_id = 10") == "0");
    CHECK(query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 1") == "50000");
    CHECK(count_rows(shop.db(), "orders") == 1);
}

TEST_CASE("16 processes x 25 checkouts of one product of stock 100: exactly 100 orders, no STORE_BUSY", "[pg][slow]") {
    TestShop shop(many_members_fixture(16, 100), fresh_schema_uri());
    std::vector<std::vector<std::string>> commands;
    for (int m = 1; m <= 16; ++m)
        commands.push_back({"--db", shop.db(), "batch", shop.write_file("hot-" + std::to_string(m), carts_for(m, 1000, 25)),
                            "--json", "--commit-every", "1"});
    std::multiset<std::string> all;
    for (const auto& r : run_shopctl_parallel(commands)) {
        for (const auto& o : outcomes(r.out)) all.insert(o);
    }
    CHECK(all.size() == 400);
    CHECK(all.count("ok") == 100);
    CHECK(all.count("OUT_OF_STOCK") == 300);
    CHECK(all.count("STORE_BUSY") == 0);
    CHECK(query_text(shop.db(), "SELECT quantity FROM stock WHERE product_id = 1000") == "0");
    CHECK(count_rows(shop.db(), "orders") == 100);
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("16 processes on disjoint members and products: every order goes through at the default timeout",
          "[pg][slow]") {
    TestShop shop(many_members_fixture(16, 100), fresh_schema_uri());
    std::vector<std::vector<std::string>> commands;
    for (int m = 1; m <= 16; ++m)
        commands.push_back({"--db", shop.db(), "batch", shop.write_file("own-" + std::to_string(m), carts_for(m, m, 25)),
                            "--json", "--commit-every", m % 2 ? "1" : "8"});
    std::multiset<std::string> all;
    for (const auto& r : run_shopctl_parallel(commands))
        for (const auto& o : outcomes(r.out)) all.insert(o);
    CHECK(all.size() == 400);
    CHECK(all.count("ok") == 400);
    CHECK(count_rows(shop.db(), "orders") == 400);
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("8 processes check out for one member at once: every balance equals its history, no coupon used twice",
          "[pg][slow]") {
    json fixture = many_members_fixture(1, 100000);
    fixture["members"][0]["points"] = 1000000;
    fixture["coupons"].push_back({{"id", 1}, {"name", "100 off"}, {"scope", "PRODUCT"}, {"product_id", 1000},
                                  {"discount_type", "FIXED"}, {"discount_value", 100}});
    for (int i = 1; i <= 60; ++i) fixture["coupon_issues"].push_back({{"id", i}, {"coupon_id", 1}, {"member_id", 1}});
    TestShop shop(fixture, fresh_schema_uri());
    std::vector<std::vector<std::string>> commands;
    for (int p = 0; p < 8; ++p)
        commands.push_back({"--db", shop.db(), "batch", shop.write_file("m-" + std::to_string(p), carts_for(1, 1000, 10)),
                            "--json", "--commit-every", "1"});
    std::multiset<std::string> all;
    for (const auto& r : run_shopctl_parallel(commands))
        for (const auto& o : outcomes(r.out)) all.insert(o);
    CHECK(all.count("ok") == 80);
    // Each order took one coupon while they lasted: 60 used by 60 orders, 20 orders paid 1,000.
    CHECK(query_text(shop.db(), "SELECT count(*) FROM coupon_issue WHERE status = 'USED'") == "60");
    CHECK(query_text(shop.db(), "SELECT count(DISTINCT used_order_id) FROM coupon_issue") == "60");
    CHECK(query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 1") ==
          std::to_string(1000000 - 60 * 900 - 20 * 1000));
    const auto verify = shop.run({"verify"});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
}

TEST_CASE("6 grouped batches over the same 20 products at once: no deadlock stalls, every cart an order, stock adds up",
          "[pg][slow]") {
    json fixture = many_members_fixture(20, 100000);
    TestShop shop(fixture, fresh_schema_uri());
    std::vector<std::vector<std::string>> commands;
    std::mt19937 rng(11);
    for (int p = 0; p < 6; ++p) {
        std::ostringstream carts;
        for (int i = 0; i < 120; ++i) {
            std::set<int> products;
            while (products.size() < 3) products.insert(1 + static_cast<int>(rng() % 20));
            json items = json::array();
            for (int id : products) items.push_back({{"product_id", id}, {"quantity", 1}});
            carts << json{{"member_id", 1 + p}, {"items", items}}.dump() << '\n';
        }
        commands.push_back({"--db", shop.db(), "batch", shop.write_file("g-" + std::to_string(p), carts.str()), "--json",
                            "--commit-every", "32"});
    }
    const auto t0 = std::chrono::steady_clock::now();
    std::multiset<std::string> all;
    for (const auto& r : run_shopctl_parallel(commands))
        for (const auto& o : outcomes(r.out)) all.insert(o);
    INFO("seconds: " << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    CHECK(all.count("ok") == 720);
    CHECK(count_rows(shop.db(), "orders") == 720);
    CHECK(query_text(shop.db(), "SELECT sum(100000 - quantity) FROM stock WHERE product_id <= 20") == "2160");
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("a long group commits every so often: another writer of its rows waits a moment, not the whole batch",
          "[pg][slow]") {
    TestShop shop(many_members_fixture(2, 1000000), fresh_schema_uri());
    // Thousands of carts in one group's worth (--commit-every is far above), all on one product.
    Child batch({SHOPCTL_BIN, "--db", shop.db(), "batch", shop.write_file("long.jsonl", carts_for(1, 1000, 5000)),
                 "--commit-every", "100000"},
                {});
    // Once the batch's transaction is open, it holds product 1000.
    const std::string open_xact =
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'shopctl' AND xact_start IS NOT NULL "
        "AND pid <> pg_backend_pid()";
    for (int i = 0; i < 500 && pg_query_text(shop.db(), open_xact) == "0"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto one = shop.run({"--busy-timeout", "1000", "checkout", "-", "--json"},
                              {json{{"member_id", 2}, {"items", {{{"product_id", 1000}, {"quantity", 1}}}}}.dump(), {}, ""});
    INFO(describe(one));
    REQUIRE(one.exit_code == 0);
    const auto done = batch.finish();
    INFO(describe(done));
    CHECK(done.exit_code == 0);
    CHECK(count_rows(shop.db(), "orders") == 5001);
    // It got its order between two of the batch's groups, not after the last.
    CHECK(json::parse(one.out)["order_id"].get<long long>() < 5001);
}

TEST_CASE("8 processes send the same idempotency keys at once: one order a key, the rest are replays", "[pg][slow]") {
    TestShop shop(many_members_fixture(2, 1000), fresh_schema_uri());
    const std::string input = shop.write_file("same-keys", carts_for(1, 1000, 20, "po-"));
    std::vector<std::vector<std::string>> commands(8, {"--db", shop.db(), "batch", input, "--json", "--commit-every", "1"});
    std::multiset<std::string> all;
    std::string refused;  // what came instead of a receipt, said when it fails
    for (const auto& r : run_shopctl_parallel(commands)) {
        for (const auto& o : outcomes(r.out)) all.insert(o);
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);)
            if (line.find("\"ok\":false") != std::string::npos) refused += line + "\n";
    }
    INFO(refused);
    CHECK(all.count("ok") == 160);
    CHECK(count_rows(shop.db(), "orders") == 20);
    CHECK(query_text(shop.db(), "SELECT quantity FROM stock WHERE product_id = 1000") == "980");
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("stock taken away and prices moved from other processes while 4 batches buy: every unit counted once",
          "[pg][slow]") {
    TestShop shop(many_members_fixture(4, 300), fresh_schema_uri());
    std::vector<std::vector<std::string>> commands;
    for (int m = 1; m <= 4; ++m)  // 240 carts of one unit each, grouped and not
        commands.push_back({"--db", shop.db(), "batch", shop.write_file("buy-" + std::to_string(m), carts_for(m, 1000, 60)),
                            "--json", "--commit-every", m % 2 ? "1" : "8"});
    for (int k = 0; k < 30; ++k) commands.push_back({"--db", shop.db(), "stock", "add", "1000", "-2", "--json"});
    for (int k = 0; k < 10; ++k)
        commands.push_back({"--db", shop.db(), "products", "set", "1000", "--price", std::to_string(1001 + k)});
    const auto results = run_shopctl_parallel(commands);
    int64_t bought = 0, taken = 0;
    for (size_t k = 0; k < 4; ++k) {
        const auto got = outcomes(results[k].out);
        CHECK(got.size() == 60);
        CHECK(got.count("ok") + got.count("OUT_OF_STOCK") == 60);
        bought += static_cast<int64_t>(got.count("ok"));
    }
    for (size_t k = 4; k < 34; ++k) {
        INFO(describe(results[k]));
        const json out = json::parse(results[k].out);
        if (results[k].exit_code == 0) taken += 2;
        else CHECK(out["error"]["code"] == "OUT_OF_STOCK");  // never STORE_ERROR or STORE_BUSY
    }
    for (size_t k = 34; k < results.size(); ++k) CHECK(results[k].exit_code == 0);
    // 300 units: what the batches bought and the stock adds took away, and what is left.
    CHECK(bought + taken + std::stoll(query_text(shop.db(), "SELECT quantity FROM stock WHERE product_id = 1000")) == 300);
    CHECK(query_text(shop.db(), "SELECT coalesce(sum(quantity), 0) FROM order_item") == std::to_string(bought));
    CHECK(query_text(shop.db(), "SELECT count(*) FROM order_item WHERE unit_price < 1000 OR unit_price > 1010") == "0");
    CHECK(query_text(shop.db(), "SELECT amount FROM price WHERE product_id = 1000") != "1000");
    CHECK(shop.run({"verify"}).exit_code == 0);
}

// (Catch2 indents a long name's wrapped lines to its first ": ", so that stays early.)
TEST_CASE("16 returns of one order at once: refunds add up to its total, to the won, while others buy its products",
          "[pg][slow]") {
    json fixture = many_members_fixture(2, 100000);
    // An order coupon, so each return's refund is a floor-rounded share and the won
    // left over must land exactly once across concurrent returns.
    fixture["coupons"].push_back({{"id", 1}, {"name", "777 off"}, {"scope", "ORDER"}, {"discount_type", "FIXED"},
                                  {"discount_value", 777}});
    fixture["coupon_issues"].push_back({{"id", 1}, {"coupon_id", 1}, {"member_id", 1}});
    TestShop shop(fixture, fresh_schema_uri());
    const std::string points_before = query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 1");
    const auto bought = shop.run({"checkout", shop.write_file("order.json", R"({"member_id": 1, "items": [
        {"product_id": 1, "quantity": 4}, {"product_id": 2, "quantity": 4}, {"product_id": 1000, "quantity": 4}]})"),
                                  "--json"});
    REQUIRE(bought.exit_code == 0);
    const json order = json::parse(bought.out);
    REQUIRE(order["order_discount"] == 777);
    const std::string id = std::to_string(order["order_id"].get<int64_t>());

    std::vector<std::vector<std::string>> commands(16, {"--db", shop.db(), "orders", "return", id, "1:1", "2:1",
                                                        "1000:1", "--json"});
    for (int p = 0; p < 2; ++p)  // member 2 buys the same products meanwhile
        commands.push_back({"--db", shop.db(), "batch", shop.write_file("buy-" + std::to_string(p), carts_for(2, 1000, 20)),
                            "--json", "--commit-every", p ? "1" : "4"});
    std::multiset<int> exits;
    int64_t refunded = 0;
    std::set<int64_t> return_numbers;
    const auto results = run_shopctl_parallel(commands);
    for (size_t k = 0; k < 16; ++k) {
        INFO(describe(results[k]));
        exits.insert(results[k].exit_code);
        const json out = json::parse(results[k].out);
        if (results[k].exit_code == 0) {
            refunded += out["refunded_points"].get<int64_t>();
            return_numbers.insert(out["return_no"].get<int64_t>());
        } else {
            CHECK(out["error"]["code"] == "ORDER_ALREADY_CANCELLED");  // returned in full by then
        }
    }
    CHECK(exits.count(0) == 4);
    CHECK(exits.count(20) == 12);
    for (size_t k = 16; k < results.size(); ++k) {
        const auto bought_meanwhile = outcomes(results[k].out);
        CHECK(bought_meanwhile.size() == 20);
        CHECK(bought_meanwhile.count("ok") == 20);
    }
    CHECK(refunded == order["total"].get<int64_t>());
    CHECK(return_numbers == std::set<int64_t>{1, 2, 3, 4});
    CHECK(query_text(shop.db(), "SELECT status FROM orders WHERE id = " + id) == "RETURNED");
    CHECK(query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 1") == points_before);  // all back
    CHECK(query_text(shop.db(), "SELECT string_agg(quantity::text, ',' ORDER BY product_id) FROM stock") ==
          "100000,100000,99960");
    CHECK(query_text(shop.db(), "SELECT count(*) FROM platform_outbox WHERE event = 'order.returned'") == "4");
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("a COMMIT whose answer is lost is settled by asking the server: kept is a receipt, never a second order",
          "[pg]") {
    TestShop shop(many_members_fixture(3, 1000), fresh_schema_uri());
    const std::string cart = shop.write_file("cart.json", R"({"member_id": 1, "items": [{"product_id": 1000, "quantity": 2}]})");

    SECTION("checkout: the server ran the COMMIT, its answer never came: the receipt of the order kept") {
        CommitCutter cutter(shop.db(), CommitCutter::Cut::AfterCommit);
        const auto r = shop.run({"--db", cutter.uri(), "checkout", cart, "--json"});
        INFO(describe(r));
        REQUIRE(cutter.cut());
        CHECK(cutter.cut_transaction().find("INSERT INTO orders") != std::string::npos);
        REQUIRE(r.exit_code == 0);
        const json receipt = json::parse(r.out);
        CHECK(count_rows(shop.db(), "orders") == 1);
        CHECK(query_text(shop.db(), "SELECT id FROM orders") == std::to_string(receipt["order_id"].get<int64_t>()));
        CHECK(receipt["total"] == 2000);
        CHECK(query_text(shop.db(), "SELECT quantity FROM stock WHERE product_id = 1000") == "998");
        CHECK(query_text(shop.db(), "SELECT count(*) FROM platform_outbox") == "1");
        CHECK(shop.run({"verify"}).exit_code == 0);
    }
    SECTION("checkout whose COMMIT never ran: lost on the way, or cut off from a server that does not notice") {
        for (const auto cut : {CommitCutter::Cut::BeforeCommit, CommitCutter::Cut::Partition}) {
            const std::string before = shop.dump();
            CommitCutter cutter(shop.db(), cut);
            const auto r = shop.run({"--db", cutter.uri(), "checkout", cart, "--json"});
            INFO(describe(r));
            REQUIRE(cutter.cut());
            CHECK(r.exit_code == 74);
            CHECK(json::parse(r.out)["error"]["code"] == "STORE_ERROR");
            CHECK(r.err.find("nothing in it was kept") != std::string::npos);
            CHECK(shop.dump() == before);
            // The lost session held the member's and the product's rows (with Partition its
            // backend lives on until shopctl ends it); they are free again.
            CHECK(shop.run({"checkout", cart, "--busy-timeout", "200"}).exit_code == 0);
        }
    }
    SECTION("batch, alone and grouped: the first COMMIT's answer lost; every cart is printed as the order it is") {
        for (const std::string every : {"1", "3"}) {
            const std::string before = query_text(shop.db(), "SELECT coalesce(max(id), 0) FROM orders");
            CommitCutter cutter(shop.db(), CommitCutter::Cut::AfterCommit);
            const auto r = shop.run({"--db", cutter.uri(), "batch", shop.write_file("b" + every, carts_for(1, 1000, 6)),
                                     "--json", "--commit-every", every});
            INFO("--commit-every " << every << "\n" << describe(r));
            REQUIRE(cutter.cut());
            CHECK(r.exit_code == 0);
            std::string printed;  // the order ids printed, in order
            std::istringstream lines(r.out);
            for (std::string line; std::getline(lines, line);)
                printed += (printed.empty() ? "" : ",") +
                           std::to_string(json::parse(line)["receipt"]["order_id"].get<int64_t>());
            CHECK(query_text(shop.db(), "SELECT count(*) FROM orders WHERE id > " + before) == "6");
            CHECK(query_text(shop.db(), "SELECT string_agg(id::text, ',' ORDER BY id) FROM orders WHERE id > " +
                                            before) == printed);
        }
        CHECK(shop.run({"verify"}).exit_code == 0);
    }
}

TEST_CASE("a batch whose connection is killed goes on in a new one: only the open transaction's carts fail",
          "[pg][slow]") {
    const bool grouped = GENERATE(false, true);
    TestShop shop(many_members_fixture(4, 100000), fresh_schema_uri());
    std::ostringstream carts;
    for (int i = 0; i < 2000; ++i)
        carts << json{{"member_id", 1 + i % 4}, {"items", {{{"product_id", 1000}, {"quantity", 1}}}}}.dump() << '\n';
    Child batch({SHOPCTL_BIN, "--db", shop.db(), "batch", shop.write_file("carts.jsonl", carts.str()), "--json",
                 "--commit-every", grouped ? "8" : "1"},
                {});
    PgSession admin(test_cluster_uri());
    int kills = 0;
    for (int k = 0; k < 3; ++k) {  // its backend goes away, as in a server restart or a failover
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        kills += std::stoi(admin.query(  // (OFFSET 0: the filter runs before any terminate)
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity "
            "WHERE application_name = 'shopctl' AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
            "OFFSET 0) s"));
    }
    const auto done = batch.finish();
    INFO(done.err);
    std::string refused;  // said when it fails
    std::istringstream lines(done.out);
    for (std::string line; std::getline(lines, line);)
        if (line.find("\"ok\":false") != std::string::npos) refused += line + "\n";
    INFO(refused);
    REQUIRE(kills >= 1);
    const auto got = outcomes(done.out);
    CHECK(got.size() == 2000);
    const auto failed = static_cast<int>(got.size() - got.count("ok"));
    CHECK(failed == static_cast<int>(got.count("STORE_ERROR")));
    CHECK(failed <= kills * (grouped ? 8 : 1));  // at most the transaction each kill found open
    CHECK(count_rows(shop.db(), "orders") == static_cast<long long>(got.count("ok")));
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("3 flushers at once against a local sink: each row delivered once, none skipped", "[pg][slow]") {
    TestShop shop(many_members_fixture(1, 1000), fresh_schema_uri());
    REQUIRE(shop.run({"batch", shop.write_file("c.jsonl", carts_for(1, 1, 150))}).exit_code == 0);
    PlatformSink sink;
    sink.delay_ms(2);
    std::vector<std::vector<std::string>> flush(3, {"--db", shop.db(), "outbox", "flush", "--all", "--platform-url",
                                                    sink.url()});
    for (const auto& r : run_shopctl_parallel(flush)) CHECK(r.exit_code == 0);
    std::multiset<std::string> keys;
    for (const auto& r : sink.requests()) keys.insert(r.headers.at("Idempotency-Key"));
    CHECK(keys.size() == 150);
    CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == 150);
    CHECK(sink.most_concurrent_for_one_key() == 1);
    CHECK(query_text(shop.db(), "SELECT count(*) FROM platform_outbox WHERE status = 'SENT'") == "150");
}

TEST_CASE("kill -9 mid-batch on PostgreSQL: printed orders exist, the store verifies, a rerun completes it",
          "[pg][slow]") {
    TestShop shop(many_members_fixture(4, 100000), fresh_schema_uri());
    std::ostringstream carts;
    for (int i = 0; i < 600; ++i)
        carts << json{{"member_id", 1 + i % 4}, {"items", {{{"product_id", 1000}, {"quantity", 1 + i % 3}}}},
                      {"idempotency_key", "k-" + std::to_string(i)}}
                     .dump()
              << '\n';
    const std::string input = shop.write_file("carts.jsonl", carts.str());
    std::mt19937 rng(7);
    std::set<long long> printed;
    for (int round = 0; round < 3; ++round) {
        Child batch({SHOPCTL_BIN, "--db", shop.db(), "batch", input, "--json", "--commit-every", round % 2 ? "1" : "16"},
                    {});
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(200, 900)(rng)));
        kill(batch.pid(), SIGKILL);
        std::istringstream lines(batch.finish().out);
        std::string line;
        while (std::getline(lines, line)) {
            try {
                const json j = json::parse(line);
                if (j["ok"] == true) printed.insert(j["receipt"]["order_id"].get<long long>());
            } catch (const json::exception&) {
            }
        }
    }
    CHECK(shop.run({"verify"}).exit_code == 0);
    CHECK(!printed.empty());
    std::string ids;
    for (long long id : printed) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    CHECK(query_text(shop.db(), "SELECT count(*) FROM orders WHERE id = ANY('{" + ids + "}'::bigint[])") ==
          std::to_string(printed.size()));
    CHECK(shop.run({"batch", input}).exit_code == 0);
    CHECK(count_rows(shop.db(), "orders") == 600);
    CHECK(query_text(shop.db(), "SELECT 100000 - quantity FROM stock WHERE product_id = 1000") ==
          query_text(shop.db(), "SELECT sum(quantity) FROM order_item"));
    CHECK(shop.run({"verify"}).exit_code == 0);
}
