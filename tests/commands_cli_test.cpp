// The back-office commands through the real binary.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

json run_json(const TestShop& shop, const std::vector<std::string>& args, int expected_exit = 0) {
    std::vector<std::string> all = args;
    all.push_back("--json");
    const auto r = shop.run(all);
    INFO(r.err);
    REQUIRE(r.exit_code == expected_exit);
    return json::parse(r.out);
}
}  // namespace

TEST_CASE("load upserts, and a points change becomes a CHARGE of the difference") {
    TestShop shop;
    const std::string path = shop.write_file("up.json", R"({"members": [{"id": 1, "name": "Kim Jr", "points": 45000}],
        "products": [{"id": 10, "name": "Mug", "price": 13000, "stock": 9, "status": "SALE_ENDED"}]})");
    REQUIRE(shop.run({"load", path}).exit_code == 0);
    CHECK(query_text(shop.db(), "SELECT name FROM member WHERE id = 1") == "Kim Jr");
    CHECK(query_text(shop.db(), "SELECT group_concat(delta) FROM point_history WHERE member_id = 1") == "50000,-5000");
    CHECK(query_text(shop.db(), "SELECT amount FROM price WHERE product_id = 10") == "13000");
    CHECK(query_text(shop.db(), "SELECT status FROM product_status WHERE product_id = 10") == "SALE_ENDED");
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("points charge and show") {
    TestShop shop;
    const json charged = run_json(shop, {"points", "charge", "3", "7000"});
    CHECK(charged["balance"] == 7000);
    const json shown = run_json(shop, {"points", "show", "3"});
    REQUIRE(shown["history"].size() == 1);
    CHECK(shown["history"][0]["reason"] == "CHARGE");
    CHECK(shown["history"][0]["delta"] == 7000);
    CHECK(shop.run({"points", "charge", "404", "1"}).exit_code == 10);
    CHECK(shop.run({"points", "charge", "1", "0"}).exit_code == 65);
    CHECK(shop.run({"points", "charge", "1", "abc"}).exit_code == 65);
    CHECK(shop.run({"points", "charge", "1", "9223372036854775807"}).exit_code == 65);  // would overflow
}

TEST_CASE("points show pages its history back from the latest; coupons list pages by issue id") {
    TestShop shop;
    for (int i = 1; i <= 7; ++i) REQUIRE(shop.run({"points", "charge", "3", std::to_string(i * 100)}).exit_code == 0);
    const std::string before = shop.dump();
    // Pages of 3, the latest first, each shown oldest first: walked back, they are the whole history.
    const json all = run_json(shop, {"points", "show", "3"});
    REQUIRE(all["history"].size() == 7);
    CHECK(all["next_before"].is_null());
    std::vector<json> walked;
    std::string before_id;
    for (int pages = 0; pages < 5; ++pages) {
        std::vector<std::string> args = {"points", "show", "3", "--limit", "3"};
        if (!before_id.empty()) args.insert(args.end(), {"--before", before_id});
        const json page = run_json(shop, args);
        CHECK(page["balance"] == all["balance"]);
        walked.insert(walked.begin(), page["history"].begin(), page["history"].end());
        if (page["next_before"].is_null()) break;
        CHECK(page["history"].size() == 3);
        CHECK(page["next_before"] == page["history"][0]["id"]);
        before_id = std::to_string(page["next_before"].get<int64_t>());
    }
    CHECK(json(walked) == all["history"]);
    CHECK(all["history"][6]["delta"] == 700);  // oldest first: the latest charge last
    const auto text = shop.run({"points", "show", "3", "--limit", "2"});
    CHECK(text.out.find("(the latest 2 shown; the next page: --before") != std::string::npos);
    const auto csv = shop.run({"points", "show", "3", "--limit", "2", "--format", "csv"});
    CHECK(csv.out.rfind("id,order_id,delta,balance_after,reason,created_at\r\n", 0) == 0);
    CHECK(csv.out.find(",,700,2800,CHARGE,") != std::string::npos);
    CHECK(csv.err.find("(the latest 2 shown") != std::string::npos);

    // Coupons: member 1 holds several issues; pages of one by id.
    const json coupons = run_json(shop, {"coupons", "list", "--member", "1"});
    REQUIRE(coupons["coupons"].size() >= 2);
    CHECK(coupons["next_after"].is_null());
    const json first = run_json(shop, {"coupons", "list", "--member", "1", "--limit", "1"});
    REQUIRE(first["coupons"].size() == 1);
    CHECK(first["coupons"][0] == coupons["coupons"][0]);
    CHECK(first["next_after"] == coupons["coupons"][0]["coupon_issue_id"]);
    const json second = run_json(shop, {"coupons", "list", "--member", "1", "--limit", "1", "--after",
                                        std::to_string(first["next_after"].get<int64_t>())});
    CHECK(second["coupons"][0] == coupons["coupons"][1]);
    CHECK(shop.run({"coupons", "list", "--member", "1", "--limit", "1"}).out.find("--after ") != std::string::npos);
    // The member as a word, as `points show MEMBER`; none at all, or a second one, is a usage error.
    CHECK(run_json(shop, {"coupons", "list", "1"}) == coupons);
    CHECK(shop.run({"coupons", "list"}).exit_code == 64);
    const auto twice = shop.run({"coupons", "list", "1", "--member", "2"});
    CHECK(twice.exit_code == 64);
    CHECK(twice.out.empty());

    // Bad paging is named and writes nothing.
    const auto zero = shop.run({"points", "show", "3", "--limit", "0"});
    CHECK(zero.exit_code == 65);
    CHECK(zero.err.find("--limit") != std::string::npos);
    CHECK(shop.run({"points", "show", "3", "--before", "x"}).exit_code == 65);
    CHECK(shop.run({"coupons", "list", "--member", "1", "--after", "-1"}).exit_code == 65);
    CHECK(shop.run({"coupons", "list", "--member", "1", "--format", "xml"}).exit_code == 65);
    CHECK(shop.run({"points", "show", "3", "--format", "csv", "--json"}).exit_code == 64);
    CHECK(shop.dump() == before);
}

TEST_CASE("coupons issue prints the new id; unknown coupon is 65, unknown member 10") {
    TestShop shop;
    const auto r = shop.run({"coupons", "issue", "3", "2"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "9\n");
    const json list = run_json(shop, {"coupons", "list", "--member", "3"});
    REQUIRE(list["coupons"].size() == 1);
    CHECK(list["coupons"][0]["coupon_issue_id"] == 9);
    CHECK(list["coupons"][0]["usable"] == true);
    const std::string before = shop.dump();
    CHECK(shop.run({"coupons", "issue", "3", "404"}).exit_code == 65);
    CHECK(shop.run({"coupons", "issue", "404", "2"}).exit_code == 10);
    CHECK(shop.dump() == before);
}

TEST_CASE("orders list, show and cancel") {
    TestShop shop;
    const std::string cart = shop.write_file("c.json", R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 2}]})");
    REQUIRE(shop.run({"checkout", cart}).exit_code == 0);
    const json list = run_json(shop, {"orders", "list", "--member", "1"});
    REQUIRE(list["orders"].size() == 1);
    CHECK(list["orders"][0]["total"] == 18600);
    CHECK(run_json(shop, {"orders", "list", "--member", "2"})["orders"].empty());
    const json shown = run_json(shop, {"orders", "show", "1"});
    CHECK(shown["total"] == 18600);
    CHECK(shown["items"][0]["coupon_issue_id"] == 3);
    CHECK(run_json(shop, {"orders", "show", "2"}, 19)["error"]["code"] == "ORDER_NOT_FOUND");

    const json cancelled = run_json(shop, {"orders", "cancel", "1"});
    CHECK(cancelled["refunded_points"] == 18600);
    CHECK(query_text(shop.db(), "SELECT quantity FROM stock WHERE product_id = 10") == "5");
    CHECK(query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 1") == "50000");
    CHECK(query_text(shop.db(), "SELECT group_concat(status) FROM coupon_issue WHERE id IN (3, 4)") == "ISSUED,ISSUED");
    CHECK(query_text(shop.db(), "SELECT reason || ',' || delta || ',' || order_id FROM point_history WHERE reason = 'REFUND'") ==
          "REFUND,18600,1");
    CHECK(query_text(shop.db(), "SELECT event FROM platform_outbox WHERE id = 2") == "order.cancelled");
    CHECK(json::parse(query_text(shop.db(), "SELECT payload FROM platform_outbox WHERE id = 2"))["event"] == "order.cancelled");
    CHECK(run_json(shop, {"orders", "show", "1"})["status"] == "CANCELLED");
    CHECK(shop.run({"verify"}).exit_code == 0);

    const std::string before = shop.dump();
    CHECK(run_json(shop, {"orders", "cancel", "1"}, 20)["error"]["code"] == "ORDER_ALREADY_CANCELLED");
    CHECK(shop.run({"orders", "cancel", "99"}).exit_code == 19);
    CHECK(shop.dump() == before);
}

TEST_CASE("products list") {
    TestShop shop;
    const json p = run_json(shop, {"products", "list"});
    REQUIRE(p["products"].size() == 4);
    CHECK(p["products"][2] == json{{"product_id", 12}, {"name", "Old Lamp"}, {"price", 30000}, {"stock", 2}, {"status", "SALE_ENDED"}});
    CHECK(p["next_after"].is_null());

    auto ids = [&](const std::vector<std::string>& args) {
        std::vector<int> out;
        const json page = run_json(shop, args);
        for (const auto& row : page["products"]) out.push_back(row["product_id"]);
        return out;
    };
    CHECK(ids({"products", "list", "--status", "sale_ended"}) == std::vector<int>{12});
    CHECK(ids({"products", "list", "--status", "ON_SALE"}) == std::vector<int>{10, 11, 13});
    // Pages by id: --limit, then --after the last id shown.
    const json first = run_json(shop, {"products", "list", "--limit", "3"});
    CHECK(first["products"].size() == 3);
    CHECK(first["next_after"] == 12);
    CHECK(ids({"products", "list", "--limit", "3", "--after", "12"}) == std::vector<int>{13});
    CHECK(run_json(shop, {"products", "list", "--after", "12"})["next_after"].is_null());
    CHECK(ids({"products", "list", "--status", "on_sale", "--limit", "1", "--after", "10"}) == std::vector<int>{11});
    CHECK(shop.run({"products", "list", "--limit", "2"}).out.find("(the first 2 shown; the next page: --after 11)\n") !=
          std::string::npos);
    CHECK(shop.run({"products", "list", "--status", "GONE"}).exit_code == 65);
    CHECK(shop.run({"products", "list", "--limit", "0"}).exit_code == 65);
    CHECK(shop.run({"products", "list", "--after", "x"}).exit_code == 65);
    // Statuses of products set in any case too.
    CHECK(run_json(shop, {"products", "set", "12", "--status", "on_sale"})["status"] == "ON_SALE");
}

TEST_CASE("--help lists grouped commands, and every command's help ends with an example") {
    const auto help = run_shopctl({"--help"});
    CHECK(help.exit_code == 0);
    for (const char* word : {"checkout", "quote", "orders", "outbox", "verify", "Orders", "Store"})
        CHECK(help.out.find(word) != std::string::npos);
    for (const auto& cmd : std::vector<std::vector<std::string>>{
             {"checkout"}, {"orders", "cancel"}, {"points", "charge"}, {"outbox", "flush"}, {"verify"}}) {
        std::vector<std::string> args = cmd;
        args.push_back("--help");
        const auto r = run_shopctl(args);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("Example:") != std::string::npos);
    }
    CHECK(run_shopctl({"--version"}).out.find("shopctl ") == 0);
    // Values are named by what they hold: integers as INT, files as FILE, times as TIME.
    const auto batch = run_shopctl({"batch", "--help"}).out;
    CHECK(batch.find("--commit-every INT") != std::string::npos);
    CHECK(batch.find("--rejects FILE") != std::string::npos);
    CHECK(batch.find("CARTS FILE") != std::string::npos);
    const auto list = run_shopctl({"orders", "list", "--help"}).out;
    CHECK(list.find("--limit INT") != std::string::npos);
    CHECK(list.find("--since TIME") != std::string::npos);
    CHECK(run_shopctl({"orders", "cancel", "--help"}).out.find("ORDER_ID INT") != std::string::npos);
    CHECK(run_shopctl({"--help"}).out.find("--busy-timeout INT") != std::string::npos);
    for (const auto& cmd : std::vector<std::vector<std::string>>{{"batch"}, {"orders", "list"}, {"points", "charge"}}) {
        std::vector<std::string> args = cmd;
        args.push_back("--help");
        CHECK(run_shopctl(args).out.find(" TEXT ") == std::string::npos);
    }
}

TEST_CASE("colour only on a terminal, and never with NO_COLOR") {
    TestShop shop;
    const std::string cart = shop.write_file("c.json", R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}]})");
    const std::string cmd = std::string(SHOPCTL_BIN) + " --db " + shop.db() + " checkout " + cart;
    // script(1) gives the command a pseudo-terminal as stdout.
    const auto tty = run_program({"/usr/bin/script", "-qec", cmd, "/dev/null"});
    REQUIRE(tty.exit_code == 0);
    CHECK(tty.out.find("\033[1;32mPAID\033[0m") != std::string::npos);
    const auto no_colour = run_program({"/usr/bin/script", "-qec", "NO_COLOR=1 " + cmd, "/dev/null"});
    REQUIRE(no_colour.exit_code == 0);
    CHECK(no_colour.out.find("PAID") != std::string::npos);
    CHECK(no_colour.out.find('\033') == std::string::npos);
    const auto piped = shop.run({"checkout", cart});
    CHECK(piped.out.find('\033') == std::string::npos);
}

TEST_CASE("orders list filters, outbox list, and their bad arguments") {
    TestShop shop;
    const std::string cart = shop.write_file("c.json", R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}]})");
    REQUIRE(shop.run({"checkout", cart}).exit_code == 0);
    REQUIRE(shop.run({"--now", "2026-12-01T00:00:00Z", "checkout", cart}).exit_code == 0);
    REQUIRE(shop.run({"--now", "2026-12-02T00:00:00Z", "checkout", cart}).exit_code == 0);
    REQUIRE(shop.run({"orders", "cancel", "2"}).exit_code == 0);
    auto ids = [&](const std::vector<std::string>& args) {
        std::vector<int> out;
        const json listed = run_json(shop, args);
        for (const auto& o : listed["orders"]) out.push_back(o["order_id"].get<int>());
        return out;
    };
    CHECK(ids({"orders", "list"}) == std::vector<int>{3, 2, 1});
    CHECK(ids({"orders", "list", "--status", "CANCELLED"}) == std::vector<int>{2});
    CHECK(ids({"orders", "list", "--since", "2026-12-01T00:00:00Z"}) == std::vector<int>{3, 2});
    CHECK(ids({"orders", "list", "--limit", "1"}) == std::vector<int>{3});
    // Date-only times, --until, any-case status, paging with --before and a next cursor.
    CHECK(ids({"orders", "list", "--since", "2026-12-01", "--until", "2026-12-02"}) == std::vector<int>{2});
    CHECK(ids({"orders", "list", "--status", "cancelled"}) == std::vector<int>{2});
    const json page = run_json(shop, {"orders", "list", "--limit", "2"});
    CHECK(page["next_before"] == 2);
    CHECK(page["orders"][0]["item_count"] == 1);
    CHECK(ids({"orders", "list", "--limit", "2", "--before", "2"}) == std::vector<int>{1});
    CHECK(run_json(shop, {"orders", "list", "--before", "2"})["next_before"].is_null());
    const auto paged = shop.run({"orders", "list", "--limit", "2"});
    CHECK(paged.out.find("(the first 2 shown; the next page: --before 2)") != std::string::npos);
    CHECK(shop.run({"orders", "list", "--since", "26-11-2026"}).exit_code == 65);
    CHECK(shop.run({"orders", "list", "--status", "LOST"}).exit_code == 65);
    CHECK(shop.run({"orders", "list", "--since", "yesterday"}).exit_code == 65);
    CHECK(shop.run({"orders", "list", "--limit", "0"}).exit_code == 65);
    CHECK(shop.run({"orders", "show", "abc"}).exit_code == 65);

    const json outbox = run_json(shop, {"outbox", "list"});
    REQUIRE(outbox["outbox"].size() == 4);
    CHECK(outbox["outbox"][3]["event"] == "order.cancelled");
    CHECK(outbox["next_after"].is_null());
    CHECK(run_json(shop, {"outbox", "list", "--status", "SENT"})["outbox"].empty());
    CHECK(run_json(shop, {"outbox", "list", "--status", "pending"})["outbox"].size() == 4);
    CHECK(shop.run({"outbox", "list", "--status", "LOST"}).exit_code == 65);
    // Pages, oldest first: --limit, then --after the last id shown.
    const json first = run_json(shop, {"outbox", "list", "--limit", "3"});
    REQUIRE(first["outbox"].size() == 3);
    CHECK(first["outbox"][2]["id"] == outbox["outbox"][2]["id"]);
    CHECK(first["next_after"] == outbox["outbox"][2]["id"]);
    const json rest = run_json(shop, {"outbox", "list", "--limit", "3", "--after", first["next_after"].dump()});
    REQUIRE(rest["outbox"].size() == 1);
    CHECK(rest["outbox"][0]["id"] == outbox["outbox"][3]["id"]);
    CHECK(rest["next_after"].is_null());
    const auto paged_outbox = shop.run({"outbox", "list", "--limit", "3"});
    CHECK(paged_outbox.out.find("(the first 3 shown; the next page: --after " + first["next_after"].dump() + ")") !=
          std::string::npos);
    CHECK(shop.run({"outbox", "list", "--limit", "0"}).exit_code == 65);
    CHECK(shop.run({"outbox", "list", "--after", "-1"}).exit_code == 65);
    CHECK(shop.run({"outbox", "flush"}).exit_code == 69);  // no platform URL configured

    CHECK(shop.run({"points", "show", "404"}).exit_code == 10);
    CHECK(shop.run({"coupons", "list", "--member", "404"}).exit_code == 10);
    const auto human = shop.run({"orders", "list"});
    CHECK(human.out.find("Order  Member  Status     Items  Total  Created\n") == 0);
    CHECK(human.out.find("\n    3       1  PAID           1  1,000  2026-12-02T00:00:00Z\n") != std::string::npos);
    // --key: the order placed with that idempotency key (a PO number), with the other filters.
    REQUIRE(shop.checkout({{"member_id", 2}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}, {"idempotency_key", "PO-77"}})
                .exit_code == 0);  // order 4
    CHECK(ids({"orders", "list", "--key", "PO-77"}) == std::vector<int>{4});
    CHECK(ids({"orders", "list", "--key", "PO-77", "--member", "2"}) == std::vector<int>{4});
    CHECK(ids({"orders", "list", "--key", "PO-77", "--member", "1"}).empty());
    CHECK(ids({"orders", "list", "--key", "PO-77", "--status", "cancelled"}).empty());
    CHECK(ids({"orders", "list", "--key", "PO-78"}).empty());
    CHECK(ids({"orders", "list", "--member", "2"}) == std::vector<int>{4});
}

TEST_CASE("a version-2 store is refused until init upgrades it; the upgrade keeps every row") {
    // A real version-2 store, from the schema as it shipped, with a paid and a cancelled order.
    const std::string dir = make_temp_dir();
    const std::string db = dir + "/old.db";
    exec_sql(db, read_whole_file(std::string(SHOPCTL_SOURCE_DIR) + "/tests/data/schema-v2.sql") + R"SQL(
        PRAGMA journal_mode = WAL;
        INSERT INTO member VALUES (1, 'Kim');
        INSERT INTO point VALUES (1, 47000);
        INSERT INTO product VALUES (10, 'Mug'), (11, 'Tea');
        INSERT INTO product_status VALUES (10, 'ON_SALE'), (11, 'ON_SALE');
        INSERT INTO stock VALUES (10, 4), (11, 3);
        INSERT INTO price VALUES (10, 2000), (11, 1000);
        INSERT INTO orders VALUES (1, 1, 'PAID', 2000, 0, NULL, 0, 2000, 50000, 48000, NULL, 'm1;i10x1;c-;e-',
                                   '2026-11-26T00:00:00Z', NULL);
        INSERT INTO orders VALUES (2, 1, 'CANCELLED', 3000, 0, NULL, 100, 2900, 48000, 45100, 'po-1', 'm1;i10x1,11x1;c-;e-',
                                   '2026-11-26T00:01:00Z', '2026-11-26T00:02:00Z');
        INSERT INTO order_item VALUES (1, 1, 10, 'Mug', 1, 2000, 2000, NULL, 0, 2000);
        INSERT INTO order_item VALUES (2, 1, 10, 'Mug', 1, 2000, 2000, NULL, 0, 2000),
                                      (2, 2, 11, 'Tea', 1, 1000, 1000, NULL, 0, 1000);
        INSERT INTO point_history (member_id, order_id, delta, balance_after, reason, created_at) VALUES
            (1, NULL, 50000, 50000, 'CHARGE', '2026-11-26T00:00:00Z'), (1, 1, -2000, 48000, 'USE', '2026-11-26T00:00:00Z'),
            (1, 2, -2900, 45100, 'USE', '2026-11-26T00:01:00Z'), (1, 2, 2900, 48000, 'REFUND', '2026-11-26T00:02:00Z'),
            (1, NULL, -1000, 47000, 'CHARGE', '2026-11-26T00:03:00Z');
        INSERT INTO platform_outbox (order_id, event, payload, status, attempts, next_attempt_at, created_at) VALUES
            (1, 'order.paid', '{}', 'SENT', 1, '2026-11-26T00:00:00Z', '2026-11-26T00:00:00Z'),
            (2, 'order.paid', '{}', 'SENT', 1, '2026-11-26T00:01:00Z', '2026-11-26T00:01:00Z'),
            (2, 'order.cancelled', '{}', 'PENDING', 0, '2026-11-26T00:02:00Z', '2026-11-26T00:02:00Z');
        PRAGMA user_version = 2;)SQL");
    const std::string before = query_text(db, "SELECT group_concat(id || ':' || status || ':' || total) FROM orders");

    const auto refused = run_shopctl({"--db", db, "orders", "list"});
    CHECK(refused.exit_code == 74);
    CHECK(refused.err.find("run `shopctl init`") != std::string::npos);

    const auto upgraded = run_shopctl({"--db", db, "init"});
    CHECK(upgraded.exit_code == 0);
    CHECK(upgraded.out.find("upgraded store") != std::string::npos);
    CHECK(query_text(db, "PRAGMA user_version") == "3");
    CHECK(query_text(db, "SELECT group_concat(id || ':' || status || ':' || total) FROM orders") == before);
    CHECK(query_text(db, "SELECT count(*) FROM platform_outbox") == "3");
    // The cancelled order is wholly returned, each line its net: 100 won of order discount
    // shared 67/33 by amount (2000:1000), so 1933 + 967 = 2900, the order's total.
    CHECK(query_text(db, "SELECT group_concat(returned_quantity || ':' || refunded) FROM order_item WHERE order_id = 2") ==
          "1:1933,1:967");
    CHECK(query_text(db, "SELECT refunded FROM orders WHERE id = 2") == "2900");
    CHECK(query_text(db, "SELECT count(*) FROM sqlite_master WHERE name = 'platform_outbox_pending_id'") == "1");
    const auto verified = run_shopctl({"--db", db, "verify"});
    CHECK(verified.out.find("ok") == 0);
    CHECK(verified.exit_code == 0);
    CHECK(run_shopctl({"--db", db, "orders", "list"}).exit_code == 0);
    remove_tree(dir);
}

TEST_CASE("tables pad by display width: Korean names line up; amounts and stock carry separators") {
    json fixture = {{"members", {{{"id", 1}, {"name", "김"}, {"points", 100000}}}},
                    {"products", {{{"id", 10}, {"name", "머그컵"}, {"price", 12000}, {"stock", 5}},
                                  {{"id", 11}, {"name", "드립 커피 세트"}, {"price", 32000}, {"stock", 1000}},
                                  {{"id", 13}, {"name", "Pen"}, {"price", 1000}, {"stock", 100}}}}};
    TestShop shop(fixture);
    CHECK(shop.run({"products", "list"}).out ==
          "Id  Name             Price  Stock  Status\n"
          "10  머그컵          12,000      5  ON_SALE\n"
          "11  드립 커피 세트  32,000  1,000  ON_SALE\n"
          "13  Pen              1,000    100  ON_SALE\n");
}

TEST_CASE("lists as CSV or TSV: a header of the JSON keys, RFC 4180 quoting, the next-page note on stderr") {
    json fixture = base_fixture();
    fixture["products"].push_back({{"id", 14}, {"name", "Mug, \"large\""}, {"price", 15000}, {"stock", 1000}});
    TestShop shop(fixture);
    const auto csv = shop.run({"products", "list", "--format", "csv", "--after", "12"});
    CHECK(csv.exit_code == 0);
    CHECK(csv.out ==
          "product_id,name,price,stock,status\r\n"
          "13,Pen,1000,100,ON_SALE\r\n"
          "14,\"Mug, \"\"large\"\"\",15000,1000,ON_SALE\r\n");
    const auto tsv = shop.run({"products", "list", "--format", "TSV", "--limit", "1"});
    CHECK(tsv.out == "product_id\tname\tprice\tstock\tstatus\n10\tMug\t12000\t5\tON_SALE\n");
    CHECK(tsv.err.find("(the first 1 shown; the next page: --after 10)") != std::string::npos);
    REQUIRE(shop.checkout({{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 2}}}}}).exit_code == 0);
    CHECK(shop.run({"orders", "list", "--format", "csv"}).out ==
          "order_id,member_id,status,total,item_count,created_at\r\n1,1,PAID,2000,1,2026-11-26T03:15:00Z\r\n");
    const auto outbox = shop.run({"outbox", "list", "--format", "tsv"});
    CHECK(outbox.out.find("id\torder_id\tevent\tstatus\tattempts\tlast_error\tnext_attempt_at\tsent_at\tcreated_at\n1\t1\torder.paid\tPENDING\t0\t\t") == 0);
    // An empty list is the header alone.
    CHECK(shop.run({"orders", "list", "--format", "csv", "--member", "3"}).out ==
          "order_id,member_id,status,total,item_count,created_at\r\n");
    CHECK(shop.run({"orders", "list", "--format", "csv", "--json"}).exit_code == 64);
    CHECK(shop.run({"products", "list", "--format", "xml"}).exit_code == 65);
}

TEST_CASE("orders export: one row per line item, oldest order first, filtered, streamed past any page size") {
    TestShop shop;
    REQUIRE(shop.checkout({{"member_id", 1},
                           {"items", {{{"product_id", 10}, {"quantity", 1}}, {{"product_id", 13}, {"quantity", 2}}}},
                           {"coupons", {3}}})
                .exit_code == 0);
    REQUIRE(shop.checkout({{"member_id", 2}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}).exit_code == 0);
    REQUIRE(shop.run({"orders", "return", "1", "13:1"}).exit_code == 0);
    const auto all = shop.run({"orders", "export"});
    CHECK(all.exit_code == 0);
    CHECK(all.out ==
          "order_id,created_at,member_id,status,order_total,line_no,product_id,name,quantity,unit_price,line_total,"
          "coupon_issue_id,discount,amount,returned_quantity,refunded\r\n"
          "1,2026-11-26T03:15:00Z,1,PARTIALLY_RETURNED,12800,1,10,Mug,1,12000,12000,3,1200,10800,0,0\r\n"
          "1,2026-11-26T03:15:00Z,1,PARTIALLY_RETURNED,12800,2,13,Pen,2,1000,2000,,0,2000,1,1000\r\n"
          "2,2026-11-26T03:15:00Z,2,PAID,1000,1,13,Pen,1,1000,1000,,0,1000,0,0\r\n");
    CHECK(shop.run({"orders", "export", "--member", "2", "--format", "tsv"}).out ==
          "order_id\tcreated_at\tmember_id\tstatus\torder_total\tline_no\tproduct_id\tname\tquantity\tunit_price\t"
          "line_total\tcoupon_issue_id\tdiscount\tamount\treturned_quantity\trefunded\n"
          "2\t2026-11-26T03:15:00Z\t2\tPAID\t1000\t1\t13\tPen\t1\t1000\t1000\t\t0\t1000\t0\t0\n");
    const auto jsonl = shop.run({"orders", "export", "--status", "paid", "--format", "jsonl"});
    CHECK(json::parse(jsonl.out)["order_id"] == 2);
    CHECK(shop.run({"orders", "export", "--since", "2026-11-27"}).out.find("\r\n") == all.out.find("\r\n"));  // header only
    CHECK(shop.run({"orders", "export", "--json"}).exit_code == 64);
    CHECK(shop.run({"orders", "export", "--format", "table"}).exit_code == 65);
    CHECK(shop.run({"orders", "export", "--since", "soon"}).exit_code == 65);

    // 1,500 line items: more than one page of the store's reads, each exactly once, in order.
    json big = base_fixture();
    for (auto& product : big["products"]) product["stock"] = 100000;
    big["members"][0]["points"] = 100000000;
    TestShop many(big);
    std::string carts;
    for (int i = 0; i < 500; ++i)
        carts += json{{"member_id", 1},
                      {"items", {{{"product_id", 10}, {"quantity", 1}}, {{"product_id", 11}, {"quantity", 2}},
                                 {{"product_id", 13}, {"quantity", 3}}}},
                      {"coupons", json::array()}}
                     .dump() +
                 "\n";
    REQUIRE(many.run({"batch", many.write_file("c.jsonl", carts)}).exit_code == 0);
    const auto exported = many.run({"orders", "export", "--format", "jsonl"});
    std::istringstream lines(exported.out);
    std::string line;
    int count = 0;
    int64_t last_order = 0, last_line = 0;
    while (std::getline(lines, line)) {
        const json row = json::parse(line);
        const int64_t order = row["order_id"], line_no = row["line_no"];
        CHECK((order > last_order || (order == last_order && line_no == last_line + 1)));
        CHECK(row["quantity"] == line_no);
        last_order = order;
        last_line = line_no;
        ++count;
    }
    CHECK(count == 1500);
    CHECK(last_order == 500);
}

TEST_CASE("points charge --from and coupons issue --from: a file of lines in one process, all of it or none") {
    TestShop shop;
    // 1,000 charges over three members, spaces, tabs, commas, CRLF, comments and blanks.
    std::string lines = "# November bonus\n\n";
    for (int i = 0; i < 1000; ++i) {
        const int member = 1 + i % 3;
        lines += i % 3 == 0 ? std::to_string(member) + " 10\n" : i % 3 == 1 ? std::to_string(member) + ",\t10\r\n"
                                                                           : std::to_string(member) + "\t10\n";
    }
    const auto bulk = shop.run({"points", "charge", "--from", shop.write_file("bonus.txt", lines), "--json"});
    REQUIRE(bulk.exit_code == 0);
    const json charges = json::parse(bulk.out)["charges"];
    REQUIRE(charges.size() == 1000);
    CHECK(charges[0] == json{{"member_id", 1}, {"charged", 10}, {"balance", 50010}});
    CHECK(charges[999] == json{{"member_id", 1}, {"charged", 10}, {"balance", 53340}});
    CHECK(query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 2") == "4330");
    CHECK(query_text(shop.db(), "SELECT count(*) FROM point_history WHERE reason = 'CHARGE'") == "1002");  // 2 from the fixture (member 3 had 0)
    CHECK(shop.run({"verify"}).exit_code == 0);

    // One bad line anywhere: nothing written, the line named.
    const std::string before = shop.dump();
    const auto stranger = shop.run({"points", "charge", "--from", "-", "--json"}, {"1 5\n2 5\n99 5\n", {}, ""});
    CHECK(stranger.exit_code == 10);
    CHECK(json::parse(stranger.out)["error"]["line"] == 3);
    const auto malformed = shop.run({"points", "charge", "--from", "-"}, {"1 5\n2 five\n", {}, ""});
    CHECK(malformed.exit_code == 65);
    CHECK(malformed.err.find("line 2: AMOUNT must be an integer") != std::string::npos);
    CHECK(shop.run({"points", "charge", "--from", "-"}, {"1 5 7\n", {}, ""}).exit_code == 65);
    CHECK(shop.run({"points", "charge", "--from", "-"}, {"1 1000000000000000\n", {}, ""}).exit_code == 65);  // past 10^15
    CHECK(shop.run({"points", "charge", "1", "5", "--from", "-"}, {"1 5\n", {}, ""}).exit_code == 64);
    CHECK(shop.run({"points", "charge", "1"}).exit_code == 64);
    CHECK(shop.run({"points", "charge", "--from", shop.dir() + "/missing.txt"}).exit_code == 66);
    CHECK(shop.dump() == before);

    const auto issued = shop.run({"coupons", "issue", "--from", "-"}, {"1 2\n3,1\n", {}, ""});
    REQUIRE(issued.exit_code == 0);
    CHECK(issued.out == "9\n10\n");  // one coupon_issue id a line, as one issue prints it
    CHECK(query_text(shop.db(), "SELECT group_concat(member_id || ':' || coupon_id) FROM coupon_issue WHERE id >= 9") == "1:2,3:1");
    const std::string after_issue = shop.dump();
    const auto missing = shop.run({"coupons", "issue", "--from", "-", "--json"}, {"2 1\n2 404\n", {}, ""});
    CHECK(missing.exit_code == 65);
    CHECK(json::parse(missing.out)["error"]["line"] == 2);
    CHECK(shop.dump() == after_issue);
}

namespace {
// What the bash completion offers for the words typed so far (the last one being completed).
std::vector<std::string> complete(const std::vector<std::string>& words) {
    std::string array;
    for (const auto& w : words) array += " '" + w + "'";
    const std::string script = "source '" + std::string(SHOPCTL_SOURCE_DIR) +
                               "/scripts/shopctl-completion.bash'; COMP_WORDS=(" + array +
                               "); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=(); _shopctl; printf '%s\\n' \"${COMPREPLY[@]}\"";
    const auto r = run_program({"/bin/bash", "-c", script});
    std::vector<std::string> out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

bool offers(const std::vector<std::string>& offered, const std::string& word) {
    return std::find(offered.begin(), offered.end(), word) != offered.end();
}

// Every command and subcommand that takes options: the completions must offer them all.
const std::vector<std::vector<std::string>> kCommandsWithOptions = {
    {"init"}, {"load"}, {"checkout"}, {"quote"}, {"batch"}, {"replay"}, {"verify"},
    {"orders", "list"}, {"orders", "export"}, {"orders", "return"}, {"orders", "cancel"}, {"points", "charge"},
    {"points", "show"}, {"coupons", "issue"}, {"coupons", "list"}, {"products", "list"}, {"products", "set"},
    {"outbox", "list"}, {"outbox", "flush"}, {"outbox", "retry"}};

// The long options a command's --help lists under "Options:" (its own, --help among them).
std::vector<std::string> help_options(const std::vector<std::string>& command) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    const auto help = run_shopctl(args);
    std::vector<std::string> options;
    std::istringstream lines(help.out.substr(help.out.find("Options:")));
    for (std::string line; std::getline(lines, line);) {
        const auto at = line.find("--");
        if (line.rfind("  ", 0) != 0 || at == std::string::npos || at > 6) continue;
        options.push_back(line.substr(at, line.find_first_of(" ,=", at) - at));
    }
    return options;
}
}  // namespace

TEST_CASE("bash completion: commands after global options, statuses per command, every option of every command") {
    CHECK(offers(complete({"shopctl", "--db", "x.db", ""}), "checkout"));  // --db's value is not the command
    CHECK(offers(complete({"shopctl", "--db", "x.db", "orders", ""}), "export"));
    const auto order_statuses = complete({"shopctl", "orders", "list", "--status", ""});
    CHECK(offers(order_statuses, "PARTIALLY_RETURNED"));
    CHECK_FALSE(offers(order_statuses, "DEAD"));
    CHECK(offers(complete({"shopctl", "outbox", "list", "--status", ""}), "DEAD"));
    CHECK(offers(complete({"shopctl", "help", "ord"}), "orders"));
    // Each command's --help options are offered after it: the completion keeps up with the CLI.
    for (const auto& command : kCommandsWithOptions) {
        std::vector<std::string> words = {"shopctl"};
        words.insert(words.end(), command.begin(), command.end());
        words.push_back("--");
        const auto offered = complete(words);
        for (const auto& option : help_options(command)) {
            if (option == "--help") continue;
            INFO("shopctl " << command[0] << (command.size() > 1 ? " " + command[1] : "") << " " << option);
            CHECK(offers(offered, option));
        }
    }
}

TEST_CASE("--quiet: stderr carries errors only; stdout is the same") {
    TestShop shop;
    const std::string carts = shop.write_file("carts.jsonl", R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}]}
{"member_id": 404, "items": [{"product_id": 13, "quantity": 1}]}
)");
    const auto loud = shop.run({"batch", carts, "--now", "2026-11-26T03:00:00Z"});
    CHECK(loud.err.find("batch: 2 carts") != std::string::npos);
    for (const char* flag : {"--quiet", "-q"}) {
        TestShop fresh;
        const auto quiet = fresh.run({flag, "batch", carts, "--now", "2026-11-26T03:00:00Z"});
        CHECK(quiet.exit_code == 1);  // one cart failed: the exit code still says so
        CHECK(quiet.err.empty());
        CHECK(quiet.out == loud.out);
    }
    // Notes go; errors stay.
    const auto csv = shop.run({"products", "list", "--limit", "1", "--format", "csv", "--quiet"});
    CHECK(csv.exit_code == 0);
    CHECK(csv.err.empty());
    CHECK(csv.out == shop.run({"products", "list", "--limit", "1", "--format", "csv"}).out);
    const auto missing = shop.run({"orders", "show", "99", "--quiet"});
    CHECK(missing.exit_code == 19);
    CHECK(missing.err.find("ORDER_NOT_FOUND") != std::string::npos);
    // --summary-json is asked for by name: it stays.
    TestShop third;
    const auto summary = third.run({"batch", carts, "--quiet", "--summary-json"});
    CHECK(json::parse(summary.err)["failed"] == 1);
}

namespace {
// What the zsh completion (scripts/_shopctl) offers for each command line, in one
// interactive zsh on a pseudo-terminal.
std::vector<std::vector<std::string>> complete_zsh(const std::vector<std::string>& lines) {
    // timeout(1): a completion that never finishes fails the test instead of hanging it.
    std::vector<std::string> argv = {"/usr/bin/timeout", "60", "/usr/bin/zsh",
                                     std::string(SHOPCTL_SOURCE_DIR) + "/tests/support/zsh_complete.zsh",
                                     std::string(SHOPCTL_SOURCE_DIR) + "/scripts"};
    argv.insert(argv.end(), lines.begin(), lines.end());
    const auto run = run_program(argv);
    std::vector<std::vector<std::string>> offered(lines.size());
    std::istringstream out(run.out);
    int current = -1;
    for (std::string word; std::getline(out, word);) {
        if (word.rfind("LINE ", 0) == 0) current = std::stoi(word.substr(5)) - 1;
        else if (current >= 0 && current < static_cast<int>(lines.size())) offered[static_cast<size_t>(current)].push_back(word);
    }
    return offered;
}
}  // namespace

TEST_CASE("zsh completion: commands after global options, statuses per command, every option of every command") {
    REQUIRE(access("/usr/bin/zsh", X_OK) == 0);  // scripts/install-deps.sh installs it
    const auto& commands = kCommandsWithOptions;
    std::vector<std::string> lines = {"shopctl --db x.db ", "shopctl --db x.db orders ", "shopctl orders list --status ",
                                      "shopctl outbox list --status ", "shopctl -q products set 3 --status ",
                                      "shopctl help o"};
    for (const auto& command : commands) {
        std::string line = "shopctl";
        for (const auto& word : command) line += " " + word;
        lines.push_back(line + " --");
    }
    const auto offered = complete_zsh(lines);
    CHECK(offers(offered[0], "checkout"));  // --db's value is not the command
    CHECK(offers(offered[1], "export"));
    CHECK(offers(offered[2], "PARTIALLY_RETURNED"));
    CHECK_FALSE(offers(offered[2], "DEAD"));
    CHECK(offers(offered[3], "DEAD"));
    CHECK(offers(offered[4], "SALE_ENDED"));
    CHECK(offers(offered[5], "orders"));
    CHECK(offers(offered[5], "outbox"));
    for (size_t i = 0; i < commands.size(); ++i) {
        for (const auto& option : help_options(commands[i])) {
            INFO(lines[6 + i] << " " << option);
            CHECK(offers(offered[6 + i], option));
        }
        // The global options are offered after the command words too.
        CHECK(offers(offered[6 + i], "--db"));
        CHECK(offers(offered[6 + i], "--quiet"));
    }
}
