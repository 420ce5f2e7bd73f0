// Refunds in integer won (SPEC.md section 11): the property that matters is that the
// refunds of an order add up to its total exactly, whatever the order and sizes of its
// returns; each partial refund within 1 won of the proportional amount; none negative.
#include <catch2/catch.hpp>

#include <random>

#include "core/order_return.h"
#include "core/refund.h"

using namespace shopctl;

TEST_CASE("the order discount is shared by amount, the last won to the largest remainders") {
    // 100 won over amounts 2000 and 1000: 66.67 and 33.33 -> 66 + 33 = 99, the last won to the larger remainder.
    CHECK(order_discount_shares({{10, 2000}, {11, 1000}}, 100) == std::vector<Won>{67, 33});
    // Equal remainders: the smaller product_id first.
    CHECK(order_discount_shares({{12, 1000}, {11, 1000}, {10, 1000}}, 2) == std::vector<Won>{0, 1, 1});
    CHECK(order_discount_shares({{10, 500}}, 0) == std::vector<Won>{0});
    CHECK(line_nets({{10, 2000}, {11, 1000}}, 100) == std::vector<Won>{1933, 967});
}

TEST_CASE("returning a line piece by piece refunds its net exactly (cumulative floor)") {
    CHECK(line_refund(1000, 3, 0, 1) == 333);
    CHECK(line_refund(1000, 3, 1, 1) == 333);
    CHECK(line_refund(1000, 3, 2, 1) == 334);
    CHECK(line_refund(1000, 3, 0, 3) == 1000);
    // At the bounds: 10^15 won over 10^6 units never overflows.
    CHECK(line_refund(1'000'000'000'000'000, 1'000'000, 999'999, 1) == 1'000'000'000);
}

TEST_CASE("property: thousands of seeded orders returned in random pieces refund exactly their total") {
    std::mt19937_64 rng(20261202);
    auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    for (int trial = 0; trial < 5000; ++trial) {
        OrderState order;
        order.order_id = trial + 1;
        order.status = "PAID";
        const int lines = static_cast<int>(pick(1, 20));
        Won amounts = 0;
        for (int i = 0; i < lines; ++i) {
            OrderLineState l;
            l.product_id = 100 + pick(0, 1000) * 25 + i;  // distinct, unordered
            l.quantity = pick(1, 9);
            const Won unit = pick(0, 3) == 0 ? pick(1, 99) : pick(100, 500000);
            const Won line_total = unit * l.quantity;
            l.amount = line_total - (pick(0, 2) == 0 ? pick(0, line_total) : 0);  // product coupons, odd amounts
            if (pick(0, 4) == 0) l.coupon_issue_id = 1000 + i;
            amounts += l.amount;
            order.lines.push_back(l);
        }
        order.order_discount = pick(0, 2) == 0 ? 0 : pick(0, amounts);
        order.total = amounts - order.order_discount;
        if (pick(0, 1) == 0) order.order_coupon_issue_id = 999;

        const auto nets = line_nets([&] {
            std::vector<RefundLine> r;
            for (const auto& l : order.lines) r.push_back({l.product_id, l.amount});
            return r;
        }(), order.order_discount);
        Won refunded = 0;
        int returns = 0;
        while (order.status != "RETURNED") {
            std::vector<ReturnRequest> requests;
            for (const auto& l : order.lines) {
                const int64_t left = l.quantity - l.returned_quantity;
                if (left > 0 && pick(0, 2) == 0) requests.push_back({l.product_id, pick(1, left)});
            }
            if (requests.empty()) continue;
            const bool cancel = pick(0, 9) == 0;
            auto d = decide_return(order, cancel ? std::vector<ReturnRequest>{} : requests, cancel);
            REQUIRE(d);
            ++returns;
            for (const auto& r : d->lines) {
                OrderLineState& l = order.lines[r.line];
                REQUIRE(r.refund >= 0);
                // Within 1 won of the proportional share of the line's net.
                const long double exact = static_cast<long double>(nets[r.line]) * r.quantity / l.quantity;
                REQUIRE(static_cast<long double>(r.refund) >= exact - 1);
                REQUIRE(static_cast<long double>(r.refund) <= exact + 1);
                l.returned_quantity += r.quantity;
                l.refunded += r.refund;
                REQUIRE(l.refunded <= l.amount);
            }
            refunded += d->refund;
            REQUIRE(refunded <= order.total);
            order.status = cancel ? "RETURNED" : d->status;
        }
        INFO("trial " << trial << ", " << returns << " returns");
        REQUIRE(refunded == order.total);
        for (size_t i = 0; i < order.lines.size(); ++i) REQUIRE(order.lines[i].refunded == nets[i]);
    }
}

TEST_CASE("decide_return refuses what the order does not hold, and says which coupons come back") {
    OrderState order;
    order.order_id = 7;
    order.status = "PAID";
    order.order_discount = 100;
    order.order_coupon_issue_id = 50;
    order.total = 2900;
    order.lines = {{10, "Mug", 2, 2000, 0, 0, 41}, {11, "Tea", 1, 1000, 0, 0, std::nullopt}};
    auto missing = decide_return(order, {{12, 1}}, false);
    REQUIRE(!missing);
    CHECK(missing.error().code == ErrorCode::ReturnExceedsOrder);
    auto too_many = decide_return(order, {{10, 1}, {10, 2}}, false);
    REQUIRE(!too_many);
    CHECK(too_many.error().code == ErrorCode::ReturnExceedsOrder);
    auto half = decide_return(order, {{10, 1}}, false);
    REQUIRE(half);
    CHECK(half->status == "PARTIALLY_RETURNED");
    CHECK(half->coupons_to_restore.empty());  // the mug line is not whole yet
    auto whole_line = decide_return(order, {{10, 2}}, false);
    REQUIRE(whole_line);
    CHECK(whole_line->coupons_to_restore == std::vector<int64_t>{41});
    auto everything = decide_return(order, {{10, 2}, {11, 1}}, false);
    REQUIRE(everything);
    CHECK(everything->status == "RETURNED");
    CHECK(everything->coupons_to_restore == std::vector<int64_t>{41, 50});
    CHECK(everything->refund == 2900);
    order.status = "CANCELLED";
    CHECK(decide_return(order, {{10, 1}}, false).error().code == ErrorCode::OrderAlreadyCancelled);
}
