#include "core/checkout.h"

#include <algorithm>

namespace shopctl {

namespace {

// Step 2: the listed coupons, each among the member's usable ones.
Result<std::vector<IssuedCoupon>> listed_usable(const std::vector<int64_t>& listed,
                                                const std::vector<IssuedCoupon>& mine, UnixSeconds now) {
    std::vector<IssuedCoupon> out;
    for (int64_t id : listed) {
        auto it = std::find_if(mine.begin(), mine.end(), [&](const IssuedCoupon& c) { return c.issue_id == id; });
        if (it == mine.end()) return Error::CouponNotUsable(id, "the member holds no such coupon");
        if (const Usability u = usability(*it, now); u != Usability::Usable)
            return Error::CouponNotUsable(id, usability_reason(u));
        out.push_back(*it);
    }
    return out;
}

std::vector<CouponExplanation> explain(const std::vector<IssuedCoupon>& mine, const std::vector<PricedLine>& lines,
                                       const CouponPlan& plan, Won subtotal, const std::optional<std::vector<int64_t>>& listed,
                                       UnixSeconds now) {
    std::vector<CouponExplanation> out;
    for (const auto& issue : mine) {
        const Coupon& c = issue.coupon;
        CouponExplanation e{issue.issue_id, c.id, c.name, scope_name(c.scope), false, c.product_id, 0, "", ""};
        const Usability u = usability(issue, now);
        if (u == Usability::AlreadyUsed) continue;  // history, not a choice this checkout had
        auto line_it = std::find_if(lines.begin(), lines.end(),
                                    [&](const PricedLine& l) { return c.product_id && l.product_id == *c.product_id; });
        for (size_t i = 0; i < plan.line_coupon.size(); ++i)
            if (plan.line_coupon[i] == issue.issue_id) {
                e.used = true;
                e.discount = plan.line_discount[i];
                e.reason = "USED_ON_LINE";
                e.detail = "takes " + format_won(e.discount) + " off product " + std::to_string(lines[i].product_id);
            }
        if (plan.order_coupon == issue.issue_id) {
            e.used = true;
            e.discount = plan.order_discount;
            e.reason = "USED_ON_ORDER";
            e.detail = "takes " + format_won(e.discount) + " off the order";
        }
        if (!e.used) {
            if (u == Usability::Expired) {
                e.reason = "EXPIRED";
                e.detail = "expired";
            } else if (u == Usability::NotYetValid) {
                e.reason = "NOT_YET_VALID";
                e.detail = "not valid yet";
            } else if (listed && std::find(listed->begin(), listed->end(), issue.issue_id) == listed->end()) {
                e.reason = "NOT_LISTED";
                e.detail = "the cart lists its coupons and this one is not among them";
            } else if (c.scope == CouponScope::Product && line_it == lines.end()) {
                e.reason = "NOT_IN_CART";
                e.detail = "for product " + std::to_string(c.product_id.value_or(0)) + ", which is not in the cart";
            } else if (c.scope == CouponScope::Product && !reaches_minimum(c, line_it->line_total)) {
                e.reason = "MINIMUM_NOT_REACHED";
                e.detail = "the line comes to " + format_won(line_it->line_total) + ", under its minimum of " +
                           format_won(c.min_order_amount);
            } else if (c.scope == CouponScope::Order && !reaches_minimum(c, subtotal - plan.product_discount)) {
                e.reason = "MINIMUM_NOT_REACHED";
                e.detail = "the order comes to " + format_won(subtotal - plan.product_discount) +
                           " after product coupons, under its minimum of " + format_won(c.min_order_amount);
            } else {
                const Won would = c.scope == CouponScope::Product ? discount_for(c, line_it->line_total)
                                                                  : discount_for(c, subtotal - plan.product_discount);
                e.reason = would == 0 ? "NO_DISCOUNT" : "BETTER_COMBINATION";
                e.detail = would == 0 ? "it would take nothing off"
                                      : "a better combination was chosen (it alone would take " +
                                            format_won(would) + " off)";
            }
        }
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace

Result<CheckoutDecision> decide_checkout(const Cart& cart, const CheckoutSnapshot& snap, UnixSeconds now) {
    // Step 1: the member.
    if (!cart.member_id) return Error::NotAMember("the cart has no member_id: guests cannot check out");
    if (!snap.member)
        return Error::UnknownMember(*cart.member_id);

    // Step 2: usable coupons; a listed one that is not usable is refused.
    std::vector<IssuedCoupon> usable;
    for (const auto& c : snap.member_coupons)
        if (usability(c, now) == Usability::Usable) usable.push_back(c);
    std::vector<IssuedCoupon> listed;
    if (cart.coupons) {
        auto l = listed_usable(*cart.coupons, snap.member_coupons, now);
        if (!l) return l.error();
        listed = std::move(*l);
    }

    // Step 3: each line in cart order: exists, on sale, in stock, priced.
    CheckoutDecision d;
    d.member_id = snap.member->id;
    std::vector<PricedLine> priced;
    for (const CartLine& line : cart.items) {
        auto it = snap.products.find(line.product_id);
        if (it == snap.products.end() || !it->second.price) return Error::ProductNotFound(line.product_id);
        const ProductInfo& p = it->second;
        if (!p.on_sale) return Error::ProductSaleEnded(line.product_id);
        const int64_t stock = p.stock.value_or(0);
        if (stock < line.quantity) return Error::OutOfStock(line.product_id, line.quantity, stock);
        // Every stored amount stays within 10^15 won (SPEC.md section 11).
        auto line_total = checked_mul(*p.price, line.quantity);
        if (!line_total || *line_total > kMaxStoredAmount)
            return Error::InvalidCart("items", "product " + std::to_string(line.product_id) + ": " +
                                                   std::to_string(*p.price) + " x " + std::to_string(line.quantity) +
                                                   " overflows the largest amount kept (10^15 won)");
        auto subtotal = checked_add(d.subtotal, *line_total);
        if (!subtotal || *subtotal > kMaxStoredAmount)
            return Error::InvalidCart("items", "the subtotal overflows the largest amount kept (10^15 won)");
        d.subtotal = *subtotal;
        priced.push_back({line.product_id, *line_total});
        d.lines.push_back({line.product_id, p.name, line.quantity, *p.price, *line_total, std::nullopt, 0, *line_total});
    }

    // Steps 4 to 6: product coupons, the order coupon, the choice.
    CouponPlan plan;
    if (cart.coupons) {
        auto applied = apply_listed_coupons(priced, d.subtotal, listed);
        if (!applied) return applied.error();
        plan = std::move(*applied);
    } else {
        plan = choose_best_coupons(priced, d.subtotal, usable);
    }
    for (size_t i = 0; i < d.lines.size(); ++i) {
        d.lines[i].coupon_issue_id = plan.line_coupon[i];
        d.lines[i].discount = plan.line_discount[i];
        d.lines[i].amount = d.lines[i].line_total - d.lines[i].discount;
    }
    d.product_discount = plan.product_discount;
    d.order_coupon_issue_id = plan.order_coupon;
    d.order_discount = plan.order_discount;
    d.total = d.subtotal - d.product_discount - d.order_discount;  // discounts never exceed their bases
    d.used_coupon_ids = plan.sorted_ids();
    d.explanation = explain(snap.member_coupons, priced, plan, d.subtotal, cart.coupons, now);
    if (cart.expected_total && *cart.expected_total != d.total) return Error::PriceChanged(*cart.expected_total, d.total);

    // Step 8: points.
    d.points_before = snap.member->balance;
    if (d.points_before < d.total) return Error::InsufficientPoints(d.points_before, d.total);
    d.points_after = d.points_before - d.total;
    return d;
}

}  // namespace shopctl
