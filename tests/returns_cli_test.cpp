// Returns and live catalog changes through the binary (SPEC.md section 11): exact
// refunds that add up to the order's total, coupons back only once whole, every
// refusal leaving every table as it was, prices changed while a batch runs.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <thread>

#include "tests/support/process.h"
#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

// Member 1 buys 3 mugs (coupon 3: 10% off, capped 3,000 -> 3,000) and 1 tea, with the
// order coupon 4 (3,000 off 20,000+): subtotal 41,000, amounts 33,000 and 5,000, total 35,000.
json paid_order(const TestShop& shop) {
    const auto r = shop.checkout({{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 3}}, {{"product_id", 11}, {"quantity", 1}}}}, {"coupons", {3, 4}}});
    REQUIRE(r.exit_code == 0);
    const json receipt = json::parse(r.out);
    REQUIRE(receipt["total"] == 35000);
    return receipt;
}

json returned(const TestShop& shop, std::vector<std::string> args, int exit = 0) {
    args.insert(args.begin(), {"orders", "return"});
    args.push_back("--json");
    const auto r = shop.run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == exit);
    return json::parse(r.out);
}

}  // namespace

TEST_CASE("returns in pieces refund exactly the total, the last won to the largest remainder") {
    TestShop shop;
    paid_order(shop);
    // Order discount 3,000 shared by amount 33,000 : 5,000 -> 2605.26 and 394.73: 2,605 + 394 = 2,999,
    // the last won to the larger remainder (the tea's .73): shares 2,605 and 395, nets 30,395 and 4,605.
    const json first = returned(shop, {"1", "10:1", "--explain"});
    CHECK(first["status"] == "PARTIALLY_RETURNED");
    CHECK(first["return_no"] == 1);
    CHECK(first["lines"] == json::parse(R"([{"product_id": 10, "quantity": 1, "refund": 10131, "net": 30395,
        "discount_share": 2605, "explain": "net 30,395 (amount 33,000 less 2,605 of the order discount); 1 of 3 back after 0: floor(30,395 x 1 / 3) - floor(30,395 x 0 / 3) = 10,131"}])"));
    CHECK(first["refunded_points"] == 10131);
    CHECK(first["coupons_restored"] == json::array());  // the mug line is not whole yet
    const json second = returned(shop, {"1", "10:1"});
    CHECK(second["refunded_points"] == 10132);  // floor(30395*2/3) - 10131
    const json last = returned(shop, {"1", "10:1", "11:1"});
    CHECK(last["status"] == "RETURNED");
    CHECK(last["refunded_points"] == 10132 + 4605);
    CHECK(last["coupons_restored"] == json{3, 4});
    CHECK(10131 + 10132 + 10132 + 4605 == 35000);
    CHECK(query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 1") == "50000");
    CHECK(query_text(shop.db(), "SELECT group_concat(quantity) FROM stock WHERE product_id IN (10, 11)") == "5,3");
    CHECK(query_text(shop.db(), "SELECT group_concat(status) FROM coupon_issue WHERE id IN (3, 4)") == "ISSUED,ISSUED");
    CHECK(query_text(shop.db(), "SELECT group_concat(event || '#' || event_no) FROM platform_outbox ORDER BY id") ==
          "order.paid#0,order.returned#1,order.returned#2,order.returned#3");
    CHECK(shop.run({"verify"}).exit_code == 0);

    const json shown = json::parse(shop.run({"orders", "show", "1", "--json"}).out);
    CHECK(shown["status"] == "RETURNED");
    CHECK(shown["refunded"] == 35000);
    CHECK(shown["items"][0]["returned_quantity"] == 3);
    CHECK(shown["items"][0]["refunded"] == 30395);
    CHECK(shown["items"][1]["refunded"] == 4605);
}

TEST_CASE("a dry run prints the refund and writes nothing; refusals change nothing") {
    TestShop shop;
    paid_order(shop);
    const std::string before = shop.dump();
    const json dry = returned(shop, {"1", "11:1", "--dry-run"});
    CHECK(dry["dry_run"] == true);
    CHECK(dry["refunded_points"] == 4605);
    CHECK(!dry.contains("platform"));
    CHECK(shop.dump() == before);

    CHECK(returned(shop, {"404", "10:1"}, 19)["error"]["code"] == "ORDER_NOT_FOUND");
    const json too_many = returned(shop, {"1", "10:2", "10:2"}, 21);
    CHECK(too_many["error"]["code"] == "RETURN_EXCEEDS_ORDER");
    CHECK(too_many["error"]["returnable"] == 3);
    CHECK(returned(shop, {"1", "13:1"}, 21)["error"]["product_id"] == 13);
    for (const std::string bad : {"10", "10:0", "10:-1", "x:1", "10:1:1", ":"})
        CHECK(returned(shop, {"1", bad}, 65)["error"]["code"] == "INVALID_INPUT");
    CHECK(shop.run({"orders", "return", "1"}).exit_code == 64);  // no lines at all: a usage error
    CHECK(shop.dump() == before);

    REQUIRE(shop.run({"orders", "cancel", "1"}).exit_code == 0);
    const std::string cancelled = shop.dump();
    CHECK(returned(shop, {"1", "10:1"}, 20)["error"]["code"] == "ORDER_ALREADY_CANCELLED");
    CHECK(shop.run({"orders", "cancel", "1"}).exit_code == 20);
    CHECK(shop.dump() == cancelled);
}

TEST_CASE("cancel after a partial return gives back exactly what is left") {
    TestShop shop;
    paid_order(shop);
    REQUIRE(returned(shop, {"1", "10:2"})["refunded_points"] == 20263);
    const auto r = shop.run({"orders", "cancel", "1", "--json"});
    REQUIRE(r.exit_code == 0);
    const json c = json::parse(r.out);
    CHECK(c["status"] == "CANCELLED");
    CHECK(c["refunded_points"] == 35000 - 20263);
    CHECK(c["restocked"] == json::parse(R"([{"product_id": 10, "quantity": 1}, {"product_id": 11, "quantity": 1}])"));
    CHECK(query_text(shop.db(), "SELECT balance FROM point WHERE member_id = 1") == "50000");
    CHECK(query_text(shop.db(), "SELECT refunded FROM orders WHERE id = 1") == "35000");
    CHECK(shop.run({"verify"}).exit_code == 0);
    // A fully returned order cannot be cancelled.
    paid_order(shop);
    REQUIRE(returned(shop, {"2", "10:3", "11:1"})["status"] == "RETURNED");
    CHECK(shop.run({"orders", "cancel", "2"}).exit_code == 20);
}

TEST_CASE("products set and stock add are live, short and exact; a batch sees each price at its own commit") {
    json fixture = base_fixture();
    fixture["members"][0]["points"] = 100000000;
    fixture["products"][3]["stock"] = 100000;
    TestShop shop(fixture);
    const std::string before = shop.dump();
    CHECK(shop.run({"products", "set", "404", "--price", "1"}).exit_code == 11);
    CHECK(shop.run({"stock", "add", "404", "1"}).exit_code == 11);
    CHECK(shop.run({"stock", "add", "10", "-6"}).exit_code == 13);
    CHECK(shop.run({"products", "set", "10", "--status", "GONE"}).exit_code == 65);
    CHECK(shop.run({"products", "set", "10"}).exit_code == 64);
    CHECK(shop.dump() == before);
    const auto set = shop.run({"products", "set", "10", "--price", "12500", "--name", "Big mug", "--json"});
    CHECK(json::parse(set.out) == json::parse(R"({"product_id": 10, "name": "Big mug", "price": 12500, "stock": 5, "status": "ON_SALE"})"));
    CHECK(json::parse(shop.run({"stock", "add", "10", "-2", "--json"}).out)["stock"] == 3);

    // A long batch of pens while the price moves 1,000 -> 1,001 -> ...: each order's
    // unit price is one the product had, and never goes back.
    std::string carts;
    for (int i = 0; i < 3000; ++i) carts += R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}], "coupons": []})" "\n";
    Child batch({SHOPCTL_BIN, "--db", shop.db(), "--now", kNow, "batch", shop.write_file("pens.jsonl", carts), "--commit-every", "16"}, {});
    for (int price = 1001; price <= 1010; ++price) {
        CHECK(shop.run({"products", "set", "13", "--price", std::to_string(price)}).exit_code == 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto b = batch.finish();
    CHECK(b.exit_code == 0);
    CHECK(query_text(shop.db(), "SELECT count(*) FROM order_item WHERE unit_price < 1000 OR unit_price > 1010") == "0");
    CHECK(query_text(shop.db(), "SELECT count(*) FROM order_item a JOIN order_item b ON b.order_id > a.order_id "
                                "AND b.product_id = 13 AND a.product_id = 13 AND b.unit_price < a.unit_price") == "0");
    // A cart shown at the old price is refused once the price moved, nothing written.
    const std::string after_batch = shop.dump();
    const auto stale = shop.checkout({{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}, {"coupons", json::array()}, {"expected_total", 1000}});
    CHECK(stale.exit_code == 17);
    CHECK(json::parse(stale.out)["error"]["code"] == "PRICE_CHANGED");
    CHECK(shop.dump() == after_batch);
    CHECK(shop.run({"verify"}).exit_code == 0);
}
