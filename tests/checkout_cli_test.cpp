// Every branch of the checkout diagram through the real binary on a real store.
#include <catch2/catch.hpp>

#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

json items(std::initializer_list<std::pair<int, int>> lines) {
    json a = json::array();
    for (auto [p, q] : lines) a.push_back({{"product_id", p}, {"quantity", q}});
    return a;
}

// A refused checkout: the exit code and error code, one line on stderr, and every
// table exactly as before.
json expect_refused(const TestShop& shop, const json& cart, const std::string& code, int exit_code) {
    const std::string before = shop.dump();
    const auto r = shop.checkout(cart);
    INFO(cart.dump() << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == exit_code);
    const json out = json::parse(r.out);
    CHECK(out["error"]["code"] == code);
    CHECK(r.err.rfind("shopctl: " + code + ": ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(shop.dump() == before);
    return out["error"];
}

json expect_paid(const TestShop& shop, const json& cart, const std::vector<std::string>& extra = {}) {
    const auto r = shop.checkout(cart, extra);
    INFO(cart.dump() << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

}  // namespace

TEST_CASE("a one-line checkout prints the whole receipt and stores exactly it") {
    TestShop shop;
    const json receipt = expect_paid(shop, {{"member_id", 1}, {"items", items({{10, 2}})}});
    const json expected = json::parse(R"({"order_id": 1, "member_id": 1, "status": "PAID",
      "created_at": "2026-11-26T03:15:00Z",
      "items": [{"product_id": 10, "name": "Mug", "quantity": 2, "unit_price": 12000, "line_total": 24000,
                 "coupon_issue_id": 3, "discount": 2400, "amount": 21600}],
      "subtotal": 24000, "product_discount": 2400, "order_coupon_issue_id": 4, "order_discount": 3000,
      "total": 18600, "points_before": 50000, "points_after": 31400, "idempotency_key": null, "replayed": false,
      "platform": {"status": "QUEUED", "attempts": 0, "error": null}})");
    CHECK(receipt == expected);

    const std::string db = shop.db();
    CHECK(query_text(db, "SELECT quantity FROM stock WHERE product_id = 10") == "3");
    CHECK(query_text(db, "SELECT balance FROM point WHERE member_id = 1") == "31400");
    CHECK(query_text(db, "SELECT group_concat(member_id || ',' || order_id || ',' || delta || ',' || balance_after || ',' || reason) "
                         "FROM point_history WHERE reason = 'USE'") == "1,1,-18600,31400,USE");
    CHECK(query_text(db, "SELECT group_concat(id || ':' || status || ':' || used_order_id || ':' || used_at) FROM coupon_issue "
                         "WHERE used_order_id IS NOT NULL ORDER BY id") ==
          "3:USED:1:2026-11-26T03:15:00Z,4:USED:1:2026-11-26T03:15:00Z");
    CHECK(query_text(db, "SELECT status || ',' || subtotal || ',' || product_discount || ',' || order_discount || ',' || total "
                         "FROM orders WHERE id = 1") == "PAID,24000,2400,3000,18600");
    CHECK(query_text(db, "SELECT product_id || ',' || quantity || ',' || unit_price || ',' || line_total || ',' || "
                         "coupon_issue_id || ',' || discount || ',' || amount FROM order_item WHERE order_id = 1") ==
          "10,2,12000,24000,3,2400,21600");
    CHECK(count_rows(db, "platform_outbox") == 1);
    CHECK(query_text(db, "SELECT event || ',' || status || ',' || attempts FROM platform_outbox") == "order.paid,PENDING,0");
    json payload = json::parse(query_text(db, "SELECT payload FROM platform_outbox"));
    json without_platform = expected;
    without_platform.erase("platform");
    CHECK(payload == without_platform);
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("several lines, and duplicate lines merged into one") {
    TestShop shop;
    const json receipt =
        expect_paid(shop, {{"member_id", 1}, {"items", items({{11, 1}, {13, 2}, {11, 1}})}, {"coupons", json::array()}});
    REQUIRE(receipt["items"].size() == 2);
    CHECK(receipt["items"][0]["product_id"] == 11);
    CHECK(receipt["items"][0]["quantity"] == 2);
    CHECK(receipt["items"][1]["product_id"] == 13);
    CHECK(receipt["subtotal"] == 12000);
    CHECK(receipt["total"] == 12000);
    CHECK(query_text(shop.db(), "SELECT quantity FROM stock WHERE product_id = 11") == "1");
    CHECK(count_rows(shop.db(), "order_item") == 2);
}

TEST_CASE("not a member: absent, null or unknown member_id") {
    TestShop shop;
    expect_refused(shop, {{"items", items({{10, 1}})}}, "NOT_A_MEMBER", 10);
    expect_refused(shop, {{"member_id", nullptr}, {"items", items({{10, 1}})}}, "NOT_A_MEMBER", 10);
    expect_refused(shop, {{"member_id", 404}, {"items", items({{10, 1}})}}, "NOT_A_MEMBER", 10);
}

TEST_CASE("product not found, sale ended") {
    TestShop shop;
    CHECK(expect_refused(shop, {{"member_id", 1}, {"items", items({{99, 1}})}}, "PRODUCT_NOT_FOUND", 11)["product_id"] == 99);
    CHECK(expect_refused(shop, {{"member_id", 1}, {"items", items({{12, 1}})}}, "PRODUCT_SALE_ENDED", 12)["product_id"] == 12);
}

TEST_CASE("stock: exactly the stock passes, one more is refused") {
    TestShop shop;
    expect_refused(shop, {{"member_id", 1}, {"items", items({{11, 4}})}}, "OUT_OF_STOCK", 13);
    expect_paid(shop, {{"member_id", 1}, {"items", items({{11, 3}})}});
    CHECK(query_text(shop.db(), "SELECT quantity FROM stock WHERE product_id = 11") == "0");
    expect_refused(shop, {{"member_id", 1}, {"items", items({{11, 1}})}}, "OUT_OF_STOCK", 13);
}

TEST_CASE("points: exactly the balance passes, one won more is refused") {
    TestShop shop;
    // Member 2 holds 1,000 points and an order coupon needing 20,000.
    expect_refused(shop, {{"member_id", 2}, {"items", items({{13, 2}})}}, "INSUFFICIENT_POINTS", 16);
    const json receipt = expect_paid(shop, {{"member_id", 2}, {"items", items({{13, 1}})}});
    CHECK(receipt["points_after"] == 0);
    expect_refused(shop, {{"member_id", 2}, {"items", items({{13, 1}})}}, "INSUFFICIENT_POINTS", 16);
}

TEST_CASE("expected_total: a moved price is PRICE_CHANGED, the right one passes") {
    TestShop shop;
    const json e = expect_refused(shop, {{"member_id", 1}, {"items", items({{13, 1}})}, {"expected_total", 999}},
                                  "PRICE_CHANGED", 17);
    CHECK(e["total"] == 1000);
    expect_paid(shop, {{"member_id", 1}, {"items", items({{13, 1}})}, {"expected_total", 1000}});
}

TEST_CASE("coupons not usable: unknown, another member's, used, expired, not yet valid") {
    TestShop shop;
    for (int id : {404, 8, 7, 5, 6}) {
        INFO("coupon " << id);
        const json e = expect_refused(shop, {{"member_id", 1}, {"items", items({{10, 2}})}, {"coupons", {id}}},
                                      "COUPON_NOT_USABLE", 14);
        CHECK(e["coupon_issue_id"] == id);
    }
}

TEST_CASE("coupons not applicable: product not in cart, minimum not reached") {
    TestShop shop;
    expect_refused(shop, {{"member_id", 1}, {"items", items({{11, 1}})}, {"coupons", {3}}}, "COUPON_NOT_APPLICABLE", 15);
    expect_refused(shop, {{"member_id", 1}, {"items", items({{11, 1}})}, {"coupons", {4}}}, "COUPON_NOT_APPLICABLE", 15);
    // With the mug coupon, 24,000 - 2,400 = 21,600 still reaches 20,000: both apply.
    const json r = expect_paid(shop, {{"member_id", 1}, {"items", items({{10, 2}})}, {"coupons", {4, 3}}});
    CHECK(r["order_discount"] == 3000);
}

TEST_CASE("the first error in SPEC order wins") {
    TestShop shop;
    // An unusable listed coupon (step 2) before a missing product (step 3).
    expect_refused(shop, {{"member_id", 1}, {"items", items({{99, 1}})}, {"coupons", {5}}}, "COUPON_NOT_USABLE", 14);
    // Sale ended on line 1 before out of stock on line 2.
    expect_refused(shop, {{"member_id", 1}, {"items", items({{12, 1}, {11, 9}})}}, "PRODUCT_SALE_ENDED", 12);
    // Out of stock before an inapplicable coupon.
    expect_refused(shop, {{"member_id", 1}, {"items", items({{11, 9}})}, {"coupons", {3}}}, "OUT_OF_STOCK", 13);
    // Not a member before a product that does not exist.
    expect_refused(shop, {{"member_id", 404}, {"items", items({{99, 1}})}}, "NOT_A_MEMBER", 10);
}

TEST_CASE("idempotency: the same cart replays the receipt, a different one conflicts") {
    TestShop shop;
    const json cart = {{"member_id", 1}, {"items", items({{13, 1}, {13, 1}})}, {"idempotency_key", "po-1"}};
    const json first = expect_paid(shop, cart);
    const std::string after_first = shop.dump();
    // Same cart after merging, lines written differently.
    const json again = expect_paid(shop, {{"member_id", 1}, {"items", items({{13, 2}})}, {"idempotency_key", "po-1"}});
    json expected = first;
    expected["replayed"] = true;
    CHECK(again == expected);
    CHECK(shop.dump() == after_first);
    const json e = expect_refused(shop, {{"member_id", 1}, {"items", items({{13, 3}})}, {"idempotency_key", "po-1"}},
                                  "IDEMPOTENCY_CONFLICT", 18);
    // The key's order may be another member's: the refusal says only that the key is taken.
    CHECK(e == json{{"code", "IDEMPOTENCY_CONFLICT"},
                    {"message", "idempotency_key 'po-1' is already taken by a different cart"},
                    {"idempotency_key", "po-1"}});
    const json other = expect_refused(shop, {{"member_id", 2}, {"items", items({{13, 2}})}, {"idempotency_key", "po-1"}},
                                      "IDEMPOTENCY_CONFLICT", 18);
    CHECK(!other.contains("order_id"));
    CHECK(shop.dump() == after_first);
}

TEST_CASE("quote prints what checkout would, writes nothing, and checkout then agrees") {
    TestShop shop;
    const std::string before = shop.dump();
    const std::string cart_path = shop.write_file("q.json", json{{"member_id", 1}, {"items", items({{10, 2}, {11, 1}})}}.dump());
    const auto q = shop.run({"quote", cart_path, "--json"});
    REQUIRE(q.exit_code == 0);
    CHECK(shop.dump() == before);
    const json quote = json::parse(q.out);
    CHECK(quote["status"] == "QUOTE");
    CHECK_FALSE(quote.contains("order_id"));
    const auto c = shop.run({"checkout", cart_path, "--json"});
    REQUIRE(c.exit_code == 0);
    const json paid = json::parse(c.out);
    for (const char* key : {"items", "subtotal", "product_discount", "order_discount", "total", "points_after"})
        CHECK(quote[key] == paid[key]);
    // And a refusal is the same refusal.
    const std::string bad = shop.write_file("bad.json", json{{"member_id", 1}, {"items", items({{11, 9}})}}.dump());
    CHECK(shop.run({"quote", bad, "--json"}).exit_code == 13);
}

TEST_CASE("--explain names the reason for each coupon not used") {
    TestShop shop;
    const json r = expect_paid(shop, {{"member_id", 1}, {"items", items({{11, 1}})}}, {"--explain"});
    std::map<int, std::string> reasons;
    for (const auto& e : r["explain"]) reasons[e["coupon_issue_id"].get<int>()] = e["reason"];
    CHECK(reasons == std::map<int, std::string>{
                         {3, "NOT_IN_CART"}, {4, "MINIMUM_NOT_REACHED"}, {5, "EXPIRED"}, {6, "NOT_YET_VALID"}});
}

TEST_CASE("the human receipt aligns its columns") {
    TestShop shop;
    const std::string cart = shop.write_file("h.json", json{{"member_id", 1}, {"items", items({{10, 2}, {13, 1}})}}.dump());
    const auto r = shop.run({"checkout", cart});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out ==
          "Order 1  PAID  2026-11-26T03:15:00Z  member 1\n"
          "\n"
          "Item  Qty  Unit price  Coupon  Discount  Amount\n"
          "Mug     2      12,000      #3     2,400  21,600\n"
          "Pen     1       1,000       -         0   1,000\n"
          "\n"
          "Subtotal                     25,000\n"
          "Product discounts            -2,400\n"
          "Order coupon #4              -3,000\n"
          "Total                        19,600\n"
          "Points             50,000 -> 30,400\n"
          "Data platform                QUEUED\n");
}

TEST_CASE("global options go before or after the command words, and the cart may come on stdin") {
    TestShop shop;
    const std::string cart = json{{"member_id", 1}, {"items", items({{13, 1}})}}.dump();
    const auto after = run_shopctl({"checkout", "-", "--db", shop.db(), "--json", "--now", kNow}, {cart, {}, ""});
    REQUIRE(after.exit_code == 0);
    CHECK(json::parse(after.out)["order_id"] == 1);
    const auto env = run_shopctl({"checkout", "-", "--json"},
                                 {cart, {{"SHOPCTL_DB", shop.db()}, {"SHOPCTL_NOW", "2026-11-27T00:00:00Z"}}, ""});
    REQUIRE(env.exit_code == 0);
    CHECK(json::parse(env.out)["created_at"] == "2026-11-27T00:00:00Z");
}
