#include "core/order_return.h"

#include <map>

#include "core/refund.h"

namespace shopctl {

Result<ReturnDecision> decide_return(const OrderState& order, const std::vector<ReturnRequest>& requests, bool cancel) {
    if (order.status == "CANCELLED") return Error::OrderAlreadyCancelled(order.order_id);
    if (order.status == "RETURNED") return Error::OrderFullyReturned(order.order_id);

    // What is asked back, per line: requests of one product are added up.
    std::vector<int64_t> asked(order.lines.size(), 0);
    if (cancel) {
        for (size_t i = 0; i < order.lines.size(); ++i)
            asked[i] = order.lines[i].quantity - order.lines[i].returned_quantity;
    } else {
        std::map<int64_t, size_t> line_of;
        for (size_t i = 0; i < order.lines.size(); ++i) line_of.emplace(order.lines[i].product_id, i);
        for (const ReturnRequest& r : requests) {
            const auto it = line_of.find(r.product_id);
            if (it == line_of.end()) return Error::ReturnExceedsOrder(order.order_id, r.product_id, r.quantity, 0);
            asked[it->second] += r.quantity;  // each at most 10^6 units (parsed): no overflow
        }
        for (size_t i = 0; i < order.lines.size(); ++i) {
            const int64_t left = order.lines[i].quantity - order.lines[i].returned_quantity;
            if (asked[i] > left) return Error::ReturnExceedsOrder(order.order_id, order.lines[i].product_id, asked[i], left);
        }
    }

    std::vector<RefundLine> refund_lines;
    for (const auto& l : order.lines) refund_lines.push_back({l.product_id, l.amount});
    const std::vector<Won> shares = order_discount_shares(refund_lines, order.order_discount);

    ReturnDecision d;
    bool everything_back = true;
    for (size_t i = 0; i < order.lines.size(); ++i) {
        const OrderLineState& l = order.lines[i];
        const int64_t after = l.returned_quantity + asked[i];
        if (after < l.quantity) everything_back = false;
        if (asked[i] == 0) continue;
        ReturnedLine r;
        r.line = i;
        r.product_id = l.product_id;
        r.name = l.name;
        r.quantity = asked[i];
        r.returned_before = l.returned_quantity;
        r.ordered = l.quantity;
        r.amount = l.amount;
        r.discount_share = shares[i];
        r.net = l.amount - shares[i];
        r.refund = line_refund(r.net, l.quantity, l.returned_quantity, asked[i]);
        r.whole = after == l.quantity;
        r.explanation = "net " + format_won(r.net) + " (amount " + format_won(r.amount) + " less " +
                        format_won(r.discount_share) + " of the order discount); " + std::to_string(r.quantity) +
                        " of " + std::to_string(r.ordered) + " back after " + std::to_string(r.returned_before) +
                        ": floor(" + format_won(r.net) + " x " + std::to_string(after) + " / " +
                        std::to_string(r.ordered) + ") - floor(" + format_won(r.net) + " x " +
                        std::to_string(r.returned_before) + " / " + std::to_string(r.ordered) + ") = " +
                        format_won(r.refund);
        d.refund += r.refund;  // the refunds of one order add up to at most its total
        if (r.whole && l.coupon_issue_id) d.coupons_to_restore.push_back(*l.coupon_issue_id);
        d.lines.push_back(std::move(r));
    }
    if (d.lines.empty()) return Error::OrderFullyReturned(order.order_id);
    if (everything_back && order.order_coupon_issue_id) d.coupons_to_restore.push_back(*order.order_coupon_issue_id);
    d.status = cancel ? "CANCELLED" : (everything_back ? "RETURNED" : "PARTIALLY_RETURNED");
    return d;
}

}  // namespace shopctl
