#include "core/coupon.h"

#include <algorithm>

namespace shopctl {

Usability usability(const IssuedCoupon& issue, UnixSeconds now) {
    if (issue.used) return Usability::AlreadyUsed;
    if (issue.coupon.valid_from && now < *issue.coupon.valid_from) return Usability::NotYetValid;
    if (issue.coupon.valid_until && now >= *issue.coupon.valid_until) return Usability::Expired;
    return Usability::Usable;
}

std::string usability_reason(Usability u) {
    switch (u) {
        case Usability::Usable: return "usable";
        case Usability::AlreadyUsed: return "already used";
        case Usability::NotYetValid: return "not valid yet";
        case Usability::Expired: return "expired";
    }
    return "not usable";
}

bool reaches_minimum(const Coupon& coupon, Won base) { return base >= coupon.min_order_amount; }

Won discount_for(const Coupon& coupon, Won base) {
    if (base <= 0) return 0;
    if (coupon.discount_type == DiscountType::Fixed) return std::min(coupon.discount_value, base);
    Won d = percent_floored(base, coupon.discount_value);
    if (coupon.max_discount) d = std::min(d, *coupon.max_discount);
    return std::min(d, base);
}

const char* scope_name(CouponScope scope) { return scope == CouponScope::Product ? "PRODUCT" : "ORDER"; }
const char* discount_type_name(DiscountType type) { return type == DiscountType::Fixed ? "FIXED" : "PERCENT"; }

}  // namespace shopctl
