// OrderReturn: the decision for giving back part or all of a paid order (SPEC.md
// section 11), from the order as stored and the lines asked back. Pure: the store
// loads the order, this decides each line's refund (core/refund.h), the coupons that
// come back and the order's new status, and the store applies it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/result.h"

namespace shopctl {

struct OrderLineState {
    int64_t product_id = 0;
    std::string name;
    int64_t quantity = 0;
    Won amount = 0;  // line_total - product discount
    int64_t returned_quantity = 0;
    Won refunded = 0;
    std::optional<int64_t> coupon_issue_id;
};

struct OrderState {
    int64_t order_id = 0;
    int64_t member_id = 0;
    std::string status;  // PAID, PARTIALLY_RETURNED, RETURNED, CANCELLED
    Won total = 0;
    Won order_discount = 0;
    std::optional<int64_t> order_coupon_issue_id;
    std::vector<OrderLineState> lines;  // one per product, in line order
};

struct ReturnRequest {
    int64_t product_id = 0;
    int64_t quantity = 0;
};

struct ReturnedLine {
    size_t line = 0;  // index in OrderState::lines
    int64_t product_id = 0;
    std::string name;
    int64_t quantity = 0;          // given back now
    int64_t returned_before = 0;   // r
    int64_t ordered = 0;           // Q
    Won amount = 0;
    Won discount_share = 0;        // of the order discount
    Won net = 0;                   // amount - share
    Won refund = 0;
    bool whole = false;            // every unit of the line is back after this
    std::string explanation;       // how the refund was found, for people
};

struct ReturnDecision {
    std::vector<ReturnedLine> lines;  // in the order's line order
    Won refund = 0;
    std::string status;                        // the order's status after
    std::vector<int64_t> coupons_to_restore;   // line coupons of whole lines; the order coupon when all is back
};

// `requests` empty with `cancel`: everything not yet returned (status CANCELLED).
// ORDER_ALREADY_CANCELLED for a cancelled or fully returned order;
// RETURN_EXCEEDS_ORDER for a product not in the order or more than is left of it.
Result<ReturnDecision> decide_return(const OrderState& order, const std::vector<ReturnRequest>& requests, bool cancel);

}  // namespace shopctl
