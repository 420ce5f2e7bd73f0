#include <catch2/catch.hpp>

#include "core/cart.h"

using namespace shopctl;

namespace {
Error cart_error(const std::string& text) {
    auto c = parse_cart(text);
    REQUIRE_FALSE(c.ok());
    return c.error();
}
}  // namespace

TEST_CASE("a cart's lines of one product are merged, in order of first appearance") {
    auto c = parse_cart(R"({"member_id": 1, "items": [{"product_id": 11, "quantity": 1},
        {"product_id": 10, "quantity": 2}, {"product_id": 11, "quantity": 3}]})");
    REQUIRE(c.ok());
    CHECK(c->items == std::vector<CartLine>{{11, 4}, {10, 2}});
    CHECK_FALSE(c->coupons.has_value());
}

TEST_CASE("the fingerprint ignores line order and splits, and sees every other difference") {
    auto a = parse_cart(R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 2}, {"product_id": 11, "quantity": 1}], "coupons": [4, 3]})");
    auto b = parse_cart(R"({"member_id": 1, "items": [{"product_id": 11, "quantity": 1}, {"product_id": 10, "quantity": 1}, {"product_id": 10, "quantity": 1}], "coupons": [3, 4]})");
    auto other_qty = parse_cart(R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 3}, {"product_id": 11, "quantity": 1}], "coupons": [3, 4]})");
    auto no_list = parse_cart(R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 2}, {"product_id": 11, "quantity": 1}]})");
    REQUIRE((a.ok() && b.ok() && other_qty.ok() && no_list.ok()));
    CHECK(a->fingerprint() == b->fingerprint());
    CHECK(a->fingerprint() != other_qty->fingerprint());
    CHECK(a->fingerprint() != no_list->fingerprint());
    // The text is stored with each order and compared with later retries: it never changes.
    CHECK(a->fingerprint() == "m1;i10x2,11x1;c3,4;e-");
    CHECK(no_list->fingerprint() == "m1;i10x2,11x1;c-;e-");
    auto priced = parse_cart(R"({"member_id": 7, "items": [{"product_id": 5, "quantity": 1}], "coupons": [], "expected_total": 41000})");
    REQUIRE(priced.ok());
    CHECK(priced->fingerprint() == "m7;i5x1;c;e41000");
}

TEST_CASE("bad carts are INVALID_CART and name the field") {
    struct Case {
        const char* text;
        const char* field;
    };
    const Case cases[] = {
        {R"({"member_id": 1, "items": []})", "items"},
        {R"({"member_id": 1})", "items"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 0}]})", "items[0].quantity"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1.5}]})", "items[0].quantity"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 10000001}]})", "items[0].quantity"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": "2"}]})", "items[0].quantity"},
        {R"({"member_id": 1, "items": [{"product_id": 10}]})", "items[0].quantity"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 600000}, {"product_id": 10, "quantity": 400001}]})", "items[1].quantity"},
        {R"({"member_id": 1, "items": [{"product_id": 99999999999999999999, "quantity": 1}]})", "items[0].product_id"},
        {R"({"member_id": "1", "items": [{"product_id": 10, "quantity": 1}]})", "member_id"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "colour": "red"})", "colour"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1, "price": 1}]})", "items[0].price"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "idempotency_key": ""})", "idempotency_key"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "coupons": [3, 3]})", "coupons[1]"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "coupons": "3"})", "coupons"},
        {R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "expected_total": -1})", "expected_total"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        const Error e = cart_error(c.text);
        CHECK(e.code == ErrorCode::InvalidCart);
        CHECK(e.details.value("field", "") == c.field);
        CHECK(e.message.find(c.field) == 0);
    }
}

TEST_CASE("an idempotency key may be 128 characters, not 129") {
    const std::string ok = R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "idempotency_key": ")" +
                           std::string(128, 'k') + "\"}";
    const std::string too_long = R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "idempotency_key": ")" +
                                 std::string(129, 'k') + "\"}";
    CHECK(parse_cart(ok).ok());
    CHECK(cart_error(too_long).code == ErrorCode::InvalidCart);
}

TEST_CASE("a syntax error names the line and column") {
    const Error e = cart_error("{\n  \"member_id\": 1,\n  \"items\": [oops]\n}");
    CHECK(e.code == ErrorCode::InvalidCart);
    CHECK(e.message.find("line 3") != std::string::npos);
    CHECK(e.message.find("column") != std::string::npos);
}

TEST_CASE("null optional fields mean absent: coupons chosen automatically, no key, no expected total") {
    auto c = parse_cart(R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "coupons": null,
                           "idempotency_key": null, "expected_total": null})");
    REQUIRE(c.ok());
    CHECK_FALSE(c->coupons.has_value());
    CHECK_FALSE(c->idempotency_key.has_value());
    CHECK_FALSE(c->expected_total.has_value());
}

TEST_CASE("member_id may be absent or null: the checkout refuses it later as NOT_A_MEMBER") {
    CHECK_FALSE(parse_cart(R"({"items": [{"product_id": 10, "quantity": 1}]})")->member_id.has_value());
    CHECK_FALSE(parse_cart(R"({"member_id": null, "items": [{"product_id": 10, "quantity": 1}]})")->member_id.has_value());
}
