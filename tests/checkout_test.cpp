#include <catch2/catch.hpp>

#include <limits>

#include "core/checkout.h"
#include "core/receipt.h"

using namespace shopctl;

namespace {

const UnixSeconds kNow = 1795662900;  // 2026-11-26T03:15:00Z

CheckoutSnapshot shop() {
    CheckoutSnapshot s;
    s.member = MemberInfo{1, "Kim", 50000};
    s.products[10] = ProductInfo{10, "Mug", true, 5, 12000};
    s.products[11] = ProductInfo{11, "Tea", true, 3, 5000};
    s.products[12] = ProductInfo{12, "Lamp", false, 2, 30000};
    IssuedCoupon mug;
    mug.issue_id = 3;
    mug.coupon = Coupon{1, "10% mugs", CouponScope::Product, 10, DiscountType::Percent, 10, 3000, 0, {}, {}};
    IssuedCoupon expired;
    expired.issue_id = 5;
    expired.coupon = Coupon{3, "old", CouponScope::Order, {}, DiscountType::Fixed, 500, {}, 0, {}, kNow};
    s.member_coupons = {mug, expired};
    return s;
}

Cart cart(std::vector<CartLine> items, std::optional<std::vector<int64_t>> coupons = std::nullopt) {
    Cart c;
    c.member_id = 1;
    c.items = std::move(items);
    c.coupons = std::move(coupons);
    return c;
}

ErrorCode code_of(const Cart& c, const CheckoutSnapshot& s = shop()) {
    auto d = decide_checkout(c, s, kNow);
    REQUIRE_FALSE(d.ok());
    return d.error().code;
}

}  // namespace

TEST_CASE("a decision prices lines, applies the coupon and deducts points") {
    auto d = decide_checkout(cart({{10, 2}, {11, 1}}), shop(), kNow);
    REQUIRE(d.ok());
    CHECK(d->subtotal == 29000);
    CHECK(d->product_discount == 2400);
    CHECK(d->total == 26600);
    CHECK(d->points_after == 50000 - 26600);
    CHECK(d->lines[0].amount == 21600);
    CHECK(d->used_coupon_ids == std::vector<int64_t>{3});
}

TEST_CASE("the first error in the spec's order is the one reported") {
    // A listed coupon that is not usable (step 2) comes before a missing product (step 3).
    CHECK(code_of(cart({{99, 1}}, std::vector<int64_t>{5})) == ErrorCode::CouponNotUsable);
    // Lines in cart order: sale ended (line 1) before not found (line 2).
    CHECK(code_of(cart({{12, 1}, {99, 1}})) == ErrorCode::ProductSaleEnded);
    CHECK(code_of(cart({{99, 1}, {12, 1}})) == ErrorCode::ProductNotFound);
    // Stock (step 3) before an inapplicable listed coupon (step 6).
    CHECK(code_of(cart({{11, 4}}, std::vector<int64_t>{3})) == ErrorCode::OutOfStock);
    CHECK(code_of(cart({{11, 1}}, std::vector<int64_t>{3})) == ErrorCode::CouponNotApplicable);
    // Price changed (step 6) before insufficient points (step 8).
    CheckoutSnapshot poor = shop();
    poor.member->balance = 10;
    Cart c = cart({{10, 1}});
    c.expected_total = 1;
    CHECK(code_of(c, poor) == ErrorCode::PriceChanged);
    c.expected_total.reset();
    CHECK(code_of(c, poor) == ErrorCode::InsufficientPoints);
    // Not a member comes before everything.
    CheckoutSnapshot nobody = shop();
    nobody.member.reset();
    CHECK(code_of(cart({{99, 1}}), nobody) == ErrorCode::NotAMember);
}

TEST_CASE("an expired coupon is never chosen, and is not usable when listed") {
    auto d = decide_checkout(cart({{11, 1}}), shop(), kNow);
    REQUIRE(d.ok());
    CHECK(d->order_coupon_issue_id == std::nullopt);
    CHECK(code_of(cart({{11, 1}}, std::vector<int64_t>{5})) == ErrorCode::CouponNotUsable);
}

TEST_CASE("price x quantity that overflows is INVALID_CART") {
    CheckoutSnapshot s = shop();
    s.products[10].price = 9'000'000'000'000'000'000;
    s.products[10].stock = 10;
    CHECK(code_of(cart({{10, 2}}), s) == ErrorCode::InvalidCart);
}

TEST_CASE("explanations say why each coupon was not used") {
    auto d = decide_checkout(cart({{11, 1}}), shop(), kNow);
    REQUIRE(d.ok());
    REQUIRE(d->explanation.size() == 2);
    CHECK(d->explanation[0].reason == "NOT_IN_CART");
    CHECK(d->explanation[1].reason == "EXPIRED");
}

TEST_CASE("a receipt's text cut around its order id puts back together as the text with any id") {
    auto d = decide_checkout(cart({{10, 2}, {11, 1}}), shop(), kNow);
    REQUIRE(d.ok());
    Receipt r = Receipt::from_decision(*d, std::nullopt, "PAID", "2026-11-26T03:15:00Z", std::string("k\"1"));
    const auto parts = r.to_json_text_around_order_id();
    for (int64_t id : {int64_t{1}, int64_t{7}, int64_t{10}, int64_t{123456789}, std::numeric_limits<int64_t>::max()}) {
        r.order_id = id;
        CHECK(parts.head + std::to_string(id) + parts.tail == r.to_json_text());
    }
    CHECK(parts.head.find("order_id") != std::string::npos);
    CHECK(parts.tail.find("order_id") == std::string::npos);
}
