#include "core/coupon_choice.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_set>

namespace shopctl {

size_t CouponPlan::coupon_count() const {
    size_t n = order_coupon ? 1 : 0;
    for (const auto& c : line_coupon) n += c.has_value();
    return n;
}

std::vector<int64_t> CouponPlan::sorted_ids() const {
    std::vector<int64_t> ids;
    for (const auto& c : line_coupon)
        if (c) ids.push_back(*c);
    if (order_coupon) ids.push_back(*order_coupon);
    std::sort(ids.begin(), ids.end());
    return ids;
}

bool better_plan(const CouponPlan& a, const CouponPlan& b) {
    if (a.total_discount() != b.total_discount()) return a.total_discount() > b.total_discount();
    if (a.coupon_count() != b.coupon_count()) return a.coupon_count() < b.coupon_count();
    return a.sorted_ids() < b.sorted_ids();
}

namespace {

const IssuedCoupon* find_issue(const std::vector<IssuedCoupon>& coupons, int64_t issue_id) {
    for (const auto& c : coupons)
        if (c.issue_id == issue_id) return &c;
    return nullptr;
}

}  // namespace

void price_plan(CouponPlan& plan, const std::vector<PricedLine>& lines, Won subtotal,
                const std::vector<IssuedCoupon>& coupons) {
    plan.line_coupon.resize(lines.size());
    plan.line_discount.assign(lines.size(), 0);
    plan.product_discount = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (!plan.line_coupon[i]) continue;
        const IssuedCoupon* c = find_issue(coupons, *plan.line_coupon[i]);
        plan.line_discount[i] = c ? discount_for(c->coupon, lines[i].line_total) : 0;
        plan.product_discount += plan.line_discount[i];  // each <= its line, so the sum <= subtotal
    }
    plan.order_discount = 0;
    if (plan.order_coupon) {
        if (const IssuedCoupon* c = find_issue(coupons, *plan.order_coupon))
            plan.order_discount = discount_for(c->coupon, subtotal - plan.product_discount);
    }
}

Result<CouponPlan> apply_listed_coupons(const std::vector<PricedLine>& lines, Won subtotal,
                                        const std::vector<IssuedCoupon>& listed) {
    CouponPlan plan;
    plan.line_coupon.assign(lines.size(), std::nullopt);
    // Step 4 first: every product coupon, in list order.
    for (const auto& issue : listed) {
        const Coupon& c = issue.coupon;
        if (c.scope != CouponScope::Product) continue;
        auto line = std::find_if(lines.begin(), lines.end(),
                                 [&](const PricedLine& l) { return c.product_id && l.product_id == *c.product_id; });
        if (line == lines.end())
            return Error::CouponNotApplicable(issue.issue_id,
                                              "it is for product " + std::to_string(c.product_id.value_or(0)) +
                                                  ", which is not in the cart");
        const size_t i = static_cast<size_t>(line - lines.begin());
        if (plan.line_coupon[i])
            return Error::CouponNotApplicable(issue.issue_id, "the line of product " + std::to_string(line->product_id) +
                                                                  " already uses coupon " +
                                                                  std::to_string(*plan.line_coupon[i]));
        if (!reaches_minimum(c, line->line_total))
            return Error::CouponNotApplicable(issue.issue_id, "the line comes to " + std::to_string(line->line_total) +
                                                                  ", under the minimum of " +
                                                                  std::to_string(c.min_order_amount));
        plan.line_coupon[i] = issue.issue_id;
    }
    price_plan(plan, lines, subtotal, listed);
    // Step 5: at most one order coupon, on the subtotal after product discounts.
    for (const auto& issue : listed) {
        const Coupon& c = issue.coupon;
        if (c.scope != CouponScope::Order) continue;
        if (plan.order_coupon)
            return Error::CouponNotApplicable(issue.issue_id, "the order already uses order coupon " +
                                                                  std::to_string(*plan.order_coupon) +
                                                                  " (one order coupon per order)");
        const Won base = subtotal - plan.product_discount;
        if (!reaches_minimum(c, base))
            return Error::CouponNotApplicable(issue.issue_id, "the order comes to " + std::to_string(base) +
                                                                  " after product coupons, under the minimum of " +
                                                                  std::to_string(c.min_order_amount));
        plan.order_coupon = issue.issue_id;
    }
    price_plan(plan, lines, subtotal, listed);
    return plan;
}

namespace {

struct Option {
    Won discount;
    int64_t issue_id;
};

// A cart line that has at least one product coupon with a positive discount.
struct SearchLine {
    size_t line_index;
    std::vector<Option> options;  // distinct discounts, largest first; smallest id per discount
    Won max() const { return options.front().discount; }
};

struct Best {
    bool found = false;
    Won total = 0;
    size_t count = 0;
    std::vector<int64_t> ids;  // sorted
    std::vector<std::optional<int64_t>> line_coupon;
    std::optional<int64_t> order_coupon;

    // Is (total, count, ids) preferred over this?
    bool beaten_by(Won t, size_t c, const std::vector<int64_t>& i) const {
        if (!found) return true;
        if (t != total) return t > total;
        if (c != count) return c < count;
        return i < ids;
    }
};

// The search for one choice of order coupon (or none). g(P) is the total discount
// when the product coupons take P off: P + the order coupon's discount on
// subtotal - P. g never decreases as P grows (a discount falls by at most what its
// base falls), so the best total is g at the largest reachable P within the order
// coupon's minimum (phase A); then among all reachable P with that total, the
// fewest coupons and smallest ids win (phase B).
class OrderCouponSearch {
public:
    OrderCouponSearch(const std::vector<SearchLine>& lines, Won subtotal, const IssuedCoupon* order, Best& best,
                      size_t line_count)
        : lines_(lines), subtotal_(subtotal), order_(order), best_(best), line_count_(line_count) {
        suffix_max_.assign(lines_.size() + 1, 0);
        for (size_t i = lines_.size(); i-- > 0;) suffix_max_[i] = suffix_max_[i + 1] + lines_[i].max();
        cap_ = order_ ? subtotal_ - order_->coupon.min_order_amount : subtotal_;
    }

    void run() {
        if (cap_ < 0) return;  // the order coupon's minimum is out of reach even without product coupons
        const Won reach = std::min(suffix_max_[0], cap_);
        if (best_.found && g(reach) < best_.total) return;  // cannot beat what we have
        max_reachable_ = -1;
        phase_a(0, 0);
        const Won total = g(max_reachable_);
        if (best_.found && total < best_.total) return;
        target_total_ = total;
        low_ = lowest_p_with_total(total);
        chosen_.assign(lines_.size(), std::nullopt);
        phase_b(0, 0, 0);
    }

private:
    Won g(Won p) const { return p + (order_ ? discount_for(order_->coupon, subtotal_ - p) : 0); }

    // The largest reachable sum of product discounts that is <= cap_.
    void phase_a(size_t i, Won p) {
        if (max_reachable_ == cap_) return;
        if (p + suffix_max_[i] <= cap_) {  // every remaining line can take its best coupon
            max_reachable_ = std::max(max_reachable_, p + suffix_max_[i]);
            return;
        }
        if (!visited_.insert(key(i, p)).second) return;  // this subtree was searched already
        for (const Option& o : lines_[i].options)
            if (p + o.discount <= cap_) phase_a(i + 1, p + o.discount);
        phase_a(i + 1, p);
    }

    static std::string key(size_t i, Won p) {
        std::string k(sizeof i + sizeof p, '\0');
        std::copy_n(reinterpret_cast<const char*>(&i), sizeof i, k.data());
        std::copy_n(reinterpret_cast<const char*>(&p), sizeof p, k.data() + sizeof i);
        return k;
    }

    Won lowest_p_with_total(Won total) const {
        Won lo = 0, hi = max_reachable_;  // g(hi) == total
        while (lo < hi) {
            const Won mid = lo + (hi - lo) / 2;
            if (g(mid) >= total) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    // Fewest further coupons that could lift p to at least low_ (lines are sorted by
    // their best discount, so the best k remaining are the next k).
    size_t min_more_coupons(size_t i, Won p) const {
        Won need = low_ - p;
        size_t k = 0;
        for (size_t j = i; need > 0 && j < lines_.size(); ++j, ++k) need -= lines_[j].max();
        return k;
    }

    // Among assignments with low_ <= P <= cap_ (all of which give target_total_), the
    // fewest coupons, then the smallest sorted ids.
    void phase_b(size_t i, Won p, size_t count) {
        if (p + suffix_max_[i] < low_) return;
        const size_t bound = count + min_more_coupons(i, p) + (order_ ? 1 : 0);
        if (best_.found && best_.total == target_total_ && bound > best_.count) return;
        if (i == lines_.size()) {
            record(count);
            return;
        }
        chosen_[i] = std::nullopt;
        phase_b(i + 1, p, count);
        for (const Option& o : lines_[i].options) {
            if (p + o.discount > cap_) continue;
            chosen_[i] = o.issue_id;
            phase_b(i + 1, p + o.discount, count + 1);
        }
        chosen_[i] = std::nullopt;
    }

    void record(size_t count) {
        std::vector<int64_t> ids;
        for (const auto& c : chosen_)
            if (c) ids.push_back(*c);
        if (order_) ids.push_back(order_->issue_id);
        std::sort(ids.begin(), ids.end());
        const size_t total_count = count + (order_ ? 1 : 0);
        if (!best_.beaten_by(target_total_, total_count, ids)) return;
        best_.found = true;
        best_.total = target_total_;
        best_.count = total_count;
        best_.ids = std::move(ids);
        best_.line_coupon.assign(line_count_, std::nullopt);
        for (size_t j = 0; j < lines_.size(); ++j) best_.line_coupon[lines_[j].line_index] = chosen_[j];
        best_.order_coupon = order_ ? std::optional<int64_t>(order_->issue_id) : std::nullopt;
    }

    const std::vector<SearchLine>& lines_;
    Won subtotal_;
    const IssuedCoupon* order_;
    Best& best_;
    size_t line_count_;
    std::vector<Won> suffix_max_;
    Won cap_ = 0;
    Won max_reachable_ = -1;
    Won target_total_ = 0;
    Won low_ = 0;
    std::unordered_set<std::string> visited_;
    std::vector<std::optional<int64_t>> chosen_;
};

std::vector<SearchLine> search_lines(const std::vector<PricedLine>& lines, const std::vector<IssuedCoupon>& usable) {
    std::vector<SearchLine> out;
    for (size_t i = 0; i < lines.size(); ++i) {
        std::map<Won, int64_t> by_discount;  // discount -> smallest issue id giving it
        for (const auto& issue : usable) {
            const Coupon& c = issue.coupon;
            if (c.scope != CouponScope::Product || !c.product_id || *c.product_id != lines[i].product_id) continue;
            if (!reaches_minimum(c, lines[i].line_total)) continue;
            const Won d = discount_for(c, lines[i].line_total);
            if (d <= 0) continue;  // a coupon that takes nothing off only adds to the count
            auto [it, inserted] = by_discount.emplace(d, issue.issue_id);
            if (!inserted) it->second = std::min(it->second, issue.issue_id);
        }
        if (by_discount.empty()) continue;
        SearchLine line{i, {}};
        for (auto it = by_discount.rbegin(); it != by_discount.rend(); ++it) line.options.push_back({it->first, it->second});
        out.push_back(std::move(line));
    }
    std::stable_sort(out.begin(), out.end(), [](const SearchLine& a, const SearchLine& b) { return a.max() > b.max(); });
    return out;
}

// Order coupons worth trying: positive discount possible, one per distinct rule
// (the smallest id among equals, which the tie-break would prefer anyway).
std::vector<const IssuedCoupon*> order_candidates(const std::vector<IssuedCoupon>& usable, Won subtotal) {
    std::map<std::tuple<int, Won, Won, Won>, const IssuedCoupon*> by_rule;
    for (const auto& issue : usable) {
        const Coupon& c = issue.coupon;
        if (c.scope != CouponScope::Order) continue;
        if (!reaches_minimum(c, subtotal) || discount_for(c, subtotal) <= 0) continue;
        const auto rule = std::make_tuple(static_cast<int>(c.discount_type), c.discount_value,
                                          c.max_discount.value_or(-1), c.min_order_amount);
        auto [it, inserted] = by_rule.emplace(rule, &issue);
        if (!inserted && issue.issue_id < it->second->issue_id) it->second = &issue;
    }
    std::vector<const IssuedCoupon*> out;
    for (const auto& [rule, issue] : by_rule) out.push_back(issue);
    // Most promising first, so the bound prunes the rest early.
    std::sort(out.begin(), out.end(), [&](const IssuedCoupon* a, const IssuedCoupon* b) {
        const Won da = discount_for(a->coupon, subtotal), db = discount_for(b->coupon, subtotal);
        return da != db ? da > db : a->issue_id < b->issue_id;
    });
    return out;
}

}  // namespace

CouponPlan choose_best_coupons(const std::vector<PricedLine>& lines, Won subtotal,
                               const std::vector<IssuedCoupon>& usable) {
    const std::vector<SearchLine> search = search_lines(lines, usable);
    Best best;
    OrderCouponSearch(search, subtotal, nullptr, best, lines.size()).run();
    for (const IssuedCoupon* order : order_candidates(usable, subtotal))
        OrderCouponSearch(search, subtotal, order, best, lines.size()).run();

    CouponPlan plan;
    plan.line_coupon = best.found ? best.line_coupon : std::vector<std::optional<int64_t>>(lines.size());
    plan.order_coupon = best.order_coupon;
    price_plan(plan, lines, subtotal, usable);
    return plan;
}

}  // namespace shopctl
