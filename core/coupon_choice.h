// Coupon choice (SPEC.md section 4, steps 4 to 6): which of a member's usable
// coupons a priced cart uses. Either the cart lists them (each must apply) or the
// checkout chooses the combination with the largest total discount; ties go to
// fewer coupons, then to the smaller sorted list of coupon_issue ids.
//
// The choice is exact: a product coupon lowers the order coupon's base and can push
// it under its minimum, so the best set is found by a bounded search, not greedily.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/coupon.h"
#include "core/money.h"
#include "core/result.h"

namespace shopctl {

struct PricedLine {
    int64_t product_id = 0;
    Won line_total = 0;  // unit_price x quantity
};

struct CouponPlan {
    std::vector<std::optional<int64_t>> line_coupon;  // coupon_issue id per line
    std::vector<Won> line_discount;                  // per line
    std::optional<int64_t> order_coupon;             // coupon_issue id
    Won product_discount = 0;
    Won order_discount = 0;

    Won total_discount() const { return product_discount + order_discount; }
    size_t coupon_count() const;
    std::vector<int64_t> sorted_ids() const;
};

// True when plan `a` is preferred over `b`: larger total discount, then fewer coupons,
// then the smaller sorted list of ids.
bool better_plan(const CouponPlan& a, const CouponPlan& b);

// Two exact methods that give the same plan; Automatic picks by the cart's shape
// (tests run both against brute force).
enum class CouponSearchMethod { Automatic, FloorWindow, OptimalPrefixes };

// The best combination of `usable` coupons for the lines (subtotal = their sum).
CouponPlan choose_best_coupons(const std::vector<PricedLine>& lines, Won subtotal,
                               const std::vector<IssuedCoupon>& usable,
                               CouponSearchMethod method = CouponSearchMethod::Automatic);

// Applies exactly the listed coupons (already known usable), or says why one does
// not apply: COUPON_NOT_APPLICABLE. Product coupons are checked before the order coupon.
Result<CouponPlan> apply_listed_coupons(const std::vector<PricedLine>& lines, Won subtotal,
                                        const std::vector<IssuedCoupon>& listed);

// Totals of a plan once its line and order coupons are fixed (used by both paths and
// by tests): fills line_discount, product_discount and order_discount.
void price_plan(CouponPlan& plan, const std::vector<PricedLine>& lines, Won subtotal,
                const std::vector<IssuedCoupon>& coupons);

}  // namespace shopctl
