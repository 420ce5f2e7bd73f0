// Refund: what a return gives back, exact in integer won (SPEC.md section 11), so
// that the refunds of an order add up to its total once everything is back, whatever
// the order and sizes of its returns. Two named roundings:
//  1. the order discount D is shared among the lines in proportion to their amount,
//     each floor(D * amount / A), the won left over one each to the largest
//     remainders (ties: the smaller product_id): a line's net = amount - share;
//  2. returning q of a line's Q units after r refunds the cumulative floor
//     floor(net * (r + q) / Q) - floor(net * r / Q).
#pragma once

#include <cstdint>
#include <vector>

#include "core/money.h"

namespace shopctl {

struct RefundLine {
    int64_t product_id = 0;
    Won amount = 0;  // line_total - the line's product discount
};

// Each line's share of the order discount, in the order of `lines`. The shares add up
// to `order_discount` (which is at most the sum of the amounts).
std::vector<Won> order_discount_shares(const std::vector<RefundLine>& lines, Won order_discount);

// What each line cost the member: its amount less its share of the order discount.
std::vector<Won> line_nets(const std::vector<RefundLine>& lines, Won order_discount);

// The refund for returning `quantity` more of a line of `ordered` units and `net` won
// after `already_returned` (cumulative floor: a line refunds exactly `net` once whole).
Won line_refund(Won net, int64_t ordered, int64_t already_returned, int64_t quantity);

}  // namespace shopctl
