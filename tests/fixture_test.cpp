#include <catch2/catch.hpp>

#include "core/fixture.h"

using namespace shopctl;

TEST_CASE("a fixture is read with the spec's defaults") {
    auto f = parse_fixture(R"({"members": [{"id": 1, "name": "Kim", "points": 50000}],
      "products": [{"id": 10, "name": "Mug", "price": 12000, "stock": 5, "status": "SALE_ENDED"}],
      "coupons": [{"id": 1, "name": "o", "scope": "ORDER", "discount_type": "FIXED", "discount_value": 100}],
      "coupon_issues": [{"id": 3, "coupon_id": 1, "member_id": 1}]})");
    REQUIRE(f.ok());
    CHECK(f->members[0].points == 50000);
    CHECK_FALSE(f->products[0].on_sale);
    CHECK(f->coupons[0].min_order_amount == 0);
    CHECK_FALSE(f->coupons[0].valid_until.has_value());
    CHECK_FALSE(f->coupon_issues[0].used);
}

TEST_CASE("bad fixtures are INVALID_FIXTURE naming the field") {
    struct Case {
        const char* text;
        const char* field;
    };
    const Case cases[] = {
        {R"({"members": [{"id": 1, "name": "Kim", "points": -1}]})", "members[0].points"},
        {R"({"members": [{"id": 1, "name": "Kim"}, {"id": 1, "name": "Lee"}]})", "members[1].id"},
        {R"({"products": [{"id": 10, "name": "Mug", "price": 1, "stock": 1, "status": "GONE"}]})", "products[0].status"},
        {R"({"products": [{"id": 10, "name": "Mug", "stock": 1}]})", "products[0].price"},
        {R"({"coupons": [{"id": 1, "name": "c", "scope": "PRODUCT", "discount_type": "FIXED", "discount_value": 1}]})", "coupons[0].product_id"},
        {R"({"coupons": [{"id": 1, "name": "c", "scope": "ORDER", "product_id": 10, "discount_type": "FIXED", "discount_value": 1}]})", "coupons[0].product_id"},
        {R"({"coupons": [{"id": 1, "name": "c", "scope": "ORDER", "discount_type": "PERCENT", "discount_value": 101}]})", "coupons[0].discount_value"},
        {R"({"coupons": [{"id": 1, "name": "c", "scope": "ORDER", "discount_type": "FIXED", "discount_value": 1, "valid_until": "soon"}]})", "coupons[0].valid_until"},
        {R"({"coupon_issues": [{"id": 1, "coupon_id": 1, "member_id": 1, "status": "LOST"}]})", "coupon_issues[0].status"},
        {R"({"members": [], "shops": []})", "shops"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto f = parse_fixture(c.text);
        REQUIRE_FALSE(f.ok());
        CHECK(f.error().code == ErrorCode::InvalidFixture);
        CHECK(f.error().details.value("field", "") == c.field);
    }
}
