// The checkout decision (SPEC.md section 4): given a validated cart, what the store
// holds for it (read inside the transaction) and the time, either the order to
// write or the first error in the spec's order. Pure: the store loads the snapshot
// and applies the decision.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cart.h"
#include "core/coupon.h"
#include "core/coupon_choice.h"
#include "core/money.h"
#include "core/result.h"
#include "core/timestamp.h"

namespace shopctl {

struct ProductInfo {
    int64_t id = 0;
    std::string name;
    bool on_sale = false;
    std::optional<int64_t> stock;  // nullopt: no stock row (treated as 0)
    std::optional<Won> price;      // nullopt: no price row (not for sale)
};

struct MemberInfo {
    int64_t id = 0;
    std::string name;
    Won balance = 0;
};

// Everything a checkout reads, as one consistent snapshot.
struct CheckoutSnapshot {
    std::optional<MemberInfo> member;               // nullopt: not a member
    std::vector<IssuedCoupon> member_coupons;        // all of the member's issues
    std::map<int64_t, ProductInfo> products;        // the cart's products that exist
};

struct DecidedLine {
    int64_t product_id = 0;
    std::string name;
    int64_t quantity = 0;
    Won unit_price = 0;
    Won line_total = 0;
    std::optional<int64_t> coupon_issue_id;
    Won discount = 0;
    Won amount = 0;
};

// Why a coupon the member holds was or was not used (for --explain).
struct CouponExplanation {
    int64_t coupon_issue_id = 0;
    int64_t coupon_id = 0;
    std::string name;
    std::string scope;                 // PRODUCT or ORDER
    bool used = false;
    std::optional<int64_t> product_id; // where it was used (PRODUCT), or its product
    Won discount = 0;
    std::string reason;                // machine-readable: USED_ON_LINE, NOT_IN_CART, ...
    std::string detail;                // one human sentence
};

struct CheckoutDecision {
    int64_t member_id = 0;
    std::vector<DecidedLine> lines;
    Won subtotal = 0;
    Won product_discount = 0;
    std::optional<int64_t> order_coupon_issue_id;
    Won order_discount = 0;
    Won total = 0;
    Won points_before = 0;
    Won points_after = 0;
    std::vector<int64_t> used_coupon_ids;  // sorted
    std::vector<CouponExplanation> explanation;
};

Result<CheckoutDecision> decide_checkout(const Cart& cart, const CheckoutSnapshot& snapshot, UnixSeconds now);

}  // namespace shopctl
