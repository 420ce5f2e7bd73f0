// Coupon rules of SPEC.md section 4: who may use an issued coupon, and how much it
// takes off a base amount. A PRODUCT coupon's base is its line (unit price x
// quantity); an ORDER coupon's base is the subtotal after product discounts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/money.h"
#include "core/timestamp.h"

namespace shopctl {

enum class CouponScope { Product, Order };
enum class DiscountType { Fixed, Percent };

struct Coupon {
    int64_t id = 0;
    std::string name;
    CouponScope scope = CouponScope::Order;
    std::optional<int64_t> product_id;      // PRODUCT scope only
    DiscountType discount_type = DiscountType::Fixed;
    Won discount_value = 0;                 // won for FIXED, 0..100 for PERCENT
    std::optional<Won> max_discount;        // caps PERCENT coupons only
    Won min_order_amount = 0;
    std::optional<UnixSeconds> valid_from;  // nullopt: since always
    std::optional<UnixSeconds> valid_until; // nullopt: forever (exclusive bound)
};

// A coupon_issue row: one member's copy of a coupon.
struct IssuedCoupon {
    int64_t issue_id = 0;
    bool used = false;
    Coupon coupon;
};

enum class Usability { Usable, AlreadyUsed, NotYetValid, Expired };

// valid_from <= now < valid_until, and not used yet.
Usability usability(const IssuedCoupon& issue, UnixSeconds now);
std::string usability_reason(Usability u);

bool reaches_minimum(const Coupon& coupon, Won base);

// The discount on `base` (assumed to reach the minimum): FIXED min(value, base);
// PERCENT floor(base x value / 100), capped by max_discount. Never more than base.
Won discount_for(const Coupon& coupon, Won base);

const char* scope_name(CouponScope scope);
const char* discount_type_name(DiscountType type);

}  // namespace shopctl
