#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "core/coupon_choice.h"

using namespace shopctl;

namespace {

IssuedCoupon product_coupon(int64_t issue, int64_t product, DiscountType type, Won value, Won min = 0,
                            std::optional<Won> max = std::nullopt) {
    IssuedCoupon c;
    c.issue_id = issue;
    c.coupon = Coupon{issue, "p" + std::to_string(issue), CouponScope::Product, product, type, value, max, min, {}, {}};
    return c;
}

IssuedCoupon order_coupon(int64_t issue, DiscountType type, Won value, Won min = 0,
                          std::optional<Won> max = std::nullopt) {
    IssuedCoupon c;
    c.issue_id = issue;
    c.coupon = Coupon{issue, "o" + std::to_string(issue), CouponScope::Order, std::nullopt, type, value, max, min, {}, {}};
    return c;
}

struct Key {
    Won total;
    size_t count;
    std::vector<int64_t> ids;
};

// Every combination the rules allow: each line none or one of its product's coupons
// that reaches the minimum, then none or one order coupon whose minimum is reached.
Key brute_force(const std::vector<PricedLine>& lines, Won subtotal, const std::vector<IssuedCoupon>& coupons) {
    std::vector<std::vector<const IssuedCoupon*>> per_line(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
        per_line[i].push_back(nullptr);
        for (const auto& c : coupons)
            if (c.coupon.scope == CouponScope::Product && c.coupon.product_id == lines[i].product_id &&
                reaches_minimum(c.coupon, lines[i].line_total))
                per_line[i].push_back(&c);
    }
    std::optional<Key> best;
    std::vector<size_t> pick(lines.size(), 0);
    for (;;) {
        Won product_discount = 0;
        std::vector<int64_t> ids;
        for (size_t i = 0; i < lines.size(); ++i)
            if (const IssuedCoupon* c = per_line[i][pick[i]]) {
                product_discount += discount_for(c->coupon, lines[i].line_total);
                ids.push_back(c->issue_id);
            }
        std::vector<const IssuedCoupon*> orders = {nullptr};
        for (const auto& c : coupons)
            if (c.coupon.scope == CouponScope::Order) orders.push_back(&c);
        for (const IssuedCoupon* o : orders) {
            const Won base = subtotal - product_discount;
            if (o && !reaches_minimum(o->coupon, base)) continue;
            Key k{product_discount + (o ? discount_for(o->coupon, base) : 0), ids.size() + (o ? 1 : 0), ids};
            if (o) k.ids.push_back(o->issue_id);
            std::sort(k.ids.begin(), k.ids.end());
            const bool better = !best || k.total > best->total ||
                                (k.total == best->total && (k.count < best->count ||
                                                            (k.count == best->count && k.ids < best->ids)));
            if (better) best = k;
        }
        size_t i = 0;
        while (i < lines.size() && ++pick[i] == per_line[i].size()) pick[i++] = 0;
        if (i == lines.size()) break;
    }
    return *best;
}

Won sum_lines(const std::vector<PricedLine>& lines) {
    Won s = 0;
    for (const auto& l : lines) s += l.line_total;
    return s;
}

}  // namespace

TEST_CASE("a product coupon that pushes the order coupon under its minimum is not taken greedily") {
    // Mug 21,000: a 2,000-off mug coupon would leave 19,000, under the 20,000 minimum of
    // the 5,000-off order coupon. Best: the order coupon alone (5,000 > 2,000).
    const std::vector<PricedLine> lines = {{10, 21000}};
    const std::vector<IssuedCoupon> coupons = {product_coupon(1, 10, DiscountType::Fixed, 2000),
                                               order_coupon(2, DiscountType::Fixed, 5000, 20000)};
    const CouponPlan plan = choose_best_coupons(lines, 21000, coupons);
    CHECK(plan.line_coupon[0] == std::nullopt);
    CHECK(plan.order_coupon == 2);
    CHECK(plan.total_discount() == 5000);
}

TEST_CASE("both coupons are taken when the minimum still holds") {
    const std::vector<PricedLine> lines = {{10, 24000}};
    const std::vector<IssuedCoupon> coupons = {product_coupon(1, 10, DiscountType::Percent, 10, 0, 3000),
                                               order_coupon(2, DiscountType::Fixed, 3000, 20000)};
    const CouponPlan plan = choose_best_coupons(lines, 24000, coupons);
    CHECK(plan.line_coupon[0] == 1);
    CHECK(plan.line_discount[0] == 2400);
    CHECK(plan.order_coupon == 2);
    CHECK(plan.order_discount == 3000);
}

TEST_CASE("ties go to fewer coupons, then to the smaller ids") {
    const std::vector<PricedLine> lines = {{10, 10000}};
    // A 100%-of-base order coupon makes every product coupon worthless: one coupon wins.
    const std::vector<IssuedCoupon> coupons = {product_coupon(1, 10, DiscountType::Fixed, 1000),
                                               order_coupon(9, DiscountType::Fixed, 50000),
                                               order_coupon(7, DiscountType::Fixed, 50000)};
    const CouponPlan plan = choose_best_coupons(lines, 10000, coupons);
    CHECK(plan.total_discount() == 10000);
    CHECK(plan.sorted_ids() == std::vector<int64_t>{7});
}

TEST_CASE("a percent discount floors and max_discount caps only percent coupons") {
    CHECK(discount_for(product_coupon(1, 10, DiscountType::Percent, 15, 0, 1000).coupon, 9999) == 1000);
    CHECK(discount_for(product_coupon(1, 10, DiscountType::Percent, 15, 0).coupon, 9999) == 1499);
    CHECK(discount_for(product_coupon(1, 10, DiscountType::Fixed, 5000, 0, 10).coupon, 9999) == 5000);
    CHECK(discount_for(product_coupon(1, 10, DiscountType::Fixed, 50000).coupon, 9999) == 9999);
}

TEST_CASE("listed coupons must all apply, product coupons checked first") {
    const std::vector<PricedLine> lines = {{10, 12000}};
    auto not_in_cart = apply_listed_coupons(lines, 12000, {product_coupon(1, 99, DiscountType::Fixed, 100)});
    REQUIRE_FALSE(not_in_cart.ok());
    CHECK(not_in_cart.error().code == ErrorCode::CouponNotApplicable);
    auto two_on_line = apply_listed_coupons(
        lines, 12000, {product_coupon(1, 10, DiscountType::Fixed, 100), product_coupon(2, 10, DiscountType::Fixed, 200)});
    REQUIRE_FALSE(two_on_line.ok());
    CHECK(two_on_line.error().details["coupon_issue_id"] == 2);
    auto two_orders = apply_listed_coupons(
        lines, 12000, {order_coupon(5, DiscountType::Fixed, 100), order_coupon(6, DiscountType::Fixed, 100)});
    REQUIRE_FALSE(two_orders.ok());
    CHECK(two_orders.error().details["coupon_issue_id"] == 6);
    // The order minimum is checked on the base after the listed product coupon.
    auto under_minimum = apply_listed_coupons(
        lines, 12000, {order_coupon(5, DiscountType::Fixed, 100, 12000), product_coupon(1, 10, DiscountType::Fixed, 1)});
    REQUIRE_FALSE(under_minimum.ok());
    CHECK(under_minimum.error().details["coupon_issue_id"] == 5);
    auto fine = apply_listed_coupons(lines, 12000, {product_coupon(1, 10, DiscountType::Percent, 50)});
    REQUIRE(fine.ok());
    CHECK(fine->product_discount == 6000);
}

TEST_CASE("the exact choice equals brute force on thousands of seeded random carts") {
    std::mt19937_64 rng(20261126);
    auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    for (int round = 0; round < 4000; ++round) {
        const size_t n_lines = static_cast<size_t>(uniform(1, 5));
        std::vector<PricedLine> lines;
        for (size_t i = 0; i < n_lines; ++i) {
            const Won price = uniform(0, 3) == 0 ? uniform(1, 20000) : uniform(1, 200) * 100;
            lines.push_back({static_cast<int64_t>(i + 1), price * uniform(1, 3)});
        }
        const Won subtotal = sum_lines(lines);
        std::vector<IssuedCoupon> coupons;
        const int64_t n_coupons = uniform(0, 9);
        for (int64_t c = 0; c < n_coupons; ++c) {
            const int64_t id = uniform(1, 1000) * 10 + c;  // distinct, not in creation order
            const bool percent = uniform(0, 1) == 1;
            const Won value = percent ? uniform(0, 100) : uniform(0, 8) * 500;
            const std::optional<Won> max = uniform(0, 2) == 0 ? std::optional<Won>(uniform(0, 10) * 300) : std::nullopt;
            const Won min = uniform(0, 2) == 0 ? 0 : uniform(0, subtotal / 100 + 1) * 100;
            const DiscountType type = percent ? DiscountType::Percent : DiscountType::Fixed;
            if (uniform(0, 2) == 0) coupons.push_back(order_coupon(id, type, value, min, max));
            else coupons.push_back(product_coupon(id, uniform(1, static_cast<int64_t>(n_lines) + 1), type, value, min, max));
        }
        const Key expected = brute_force(lines, subtotal, coupons);
        for (const auto method : {CouponSearchMethod::Automatic, CouponSearchMethod::FloorWindow,
                                  CouponSearchMethod::OptimalPrefixes}) {
            const CouponPlan plan = choose_best_coupons(lines, subtotal, coupons, method);
            INFO("round " << round << ", method " << static_cast<int>(method));
            REQUIRE(plan.total_discount() == expected.total);
            REQUIRE(plan.coupon_count() == expected.count);
            REQUIRE(plan.sorted_ids() == expected.ids);
        }
    }
}

TEST_CASE("the two search methods agree on dense 20-line carts, too big for brute force") {
    // Every product coupon on a cart line, order minimums anywhere up to the subtotal:
    // tens of thousands of reachable sums, where ties on total and count are common.
    std::mt19937_64 rng(99);
    auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    for (int round = 0; round < 60; ++round) {
        std::vector<PricedLine> lines;
        for (int64_t i = 0; i < 20; ++i) lines.push_back({i + 1, uniform(5, 500) * 100 * uniform(1, 3)});
        const Won subtotal = sum_lines(lines);
        std::vector<IssuedCoupon> coupons;
        for (int64_t c = 0; c < 100; ++c) {
            const bool percent = c % 3 == 0;
            const DiscountType type = percent ? DiscountType::Percent : DiscountType::Fixed;
            const Won value = percent ? uniform(5, 50) : uniform(1, 60) * 100;
            const std::optional<Won> max = percent && uniform(0, 1) ? std::optional<Won>(uniform(1, 10) * 1000) : std::nullopt;
            if (c % 4 == 0) coupons.push_back(order_coupon(c + 1, type, value, uniform(0, subtotal), max));
            else coupons.push_back(product_coupon(c + 1, uniform(1, 20), type, value, uniform(0, 3) * 10000, max));
        }
        const CouponPlan window = choose_best_coupons(lines, subtotal, coupons, CouponSearchMethod::FloorWindow);
        const CouponPlan prefixes = choose_best_coupons(lines, subtotal, coupons, CouponSearchMethod::OptimalPrefixes);
        INFO("round " << round);
        REQUIRE(prefixes.total_discount() == window.total_discount());
        REQUIRE(prefixes.coupon_count() == window.coupon_count());
        REQUIRE(prefixes.sorted_ids() == window.sorted_ids());
        REQUIRE(prefixes.line_coupon == window.line_coupon);
        REQUIRE(prefixes.order_coupon == window.order_coupon);
    }
}

TEST_CASE("100 coupons on a 20-line cart are decided (and agree with their own totals)") {
    std::mt19937_64 rng(7);
    auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    std::vector<PricedLine> lines;
    for (int64_t i = 0; i < 20; ++i) lines.push_back({i + 1, uniform(5, 300) * 100 * uniform(1, 3)});
    const Won subtotal = sum_lines(lines);
    std::vector<IssuedCoupon> coupons;
    for (int64_t c = 0; c < 100; ++c) {
        if (c % 4 == 0)
            coupons.push_back(order_coupon(c + 1, c % 8 ? DiscountType::Fixed : DiscountType::Percent,
                                           c % 8 ? uniform(1, 50) * 1000 : uniform(5, 30), uniform(0, subtotal)));
        else
            coupons.push_back(product_coupon(c + 1, uniform(1, 30), c % 3 ? DiscountType::Fixed : DiscountType::Percent,
                                             c % 3 ? uniform(1, 40) * 100 : uniform(5, 50), uniform(0, 3) * 5000));
    }
    const CouponPlan plan = choose_best_coupons(lines, subtotal, coupons);
    CouponPlan repriced = plan;
    price_plan(repriced, lines, subtotal, coupons);
    CHECK(repriced.total_discount() == plan.total_discount());
    CHECK(plan.total_discount() > 0);
    CHECK(plan.total_discount() <= subtotal);
}
