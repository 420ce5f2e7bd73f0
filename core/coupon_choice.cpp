#include "core/coupon_choice.h"

#include <algorithm>
#include <map>
#include <span>
#include <string>

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

constexpr uint8_t kUnreachable = 255;        // in the fewest-coupons tables
constexpr Won kMaxTableSum = Won{1} << 22;   // sums up to 4 million won off
constexpr size_t kMaxTableBytes = 8u << 20;  // all tables of one search
constexpr size_t kMaxTargets = 64;           // final sums giving the best total: more, use the window
constexpr double kDenseStates = 4096;        // estimated sums past which the tables pay (1k-64k bench alike)

// The tables' memory, kept between searches: fresh pages would each be zeroed by the
// kernel, which costs more than the search.
std::vector<uint8_t>& table_scratch() {
    thread_local std::vector<uint8_t> scratch;
    return scratch;
}

// The search. With order coupon o (or none), g_o(P) is the total discount when the
// product coupons take P off: P + o's discount on subtotal - P, for P up to o's cap
// (subtotal - its minimum). g_o never decreases as P grows (a discount falls by at
// most what its base falls).
//
// One dynamic programme over the lines (largest best discount first) keeps, for each
// reachable sum P, the one assignment that beats every other with that sum: fewer
// coupons, then smaller sorted ids. That choice wins whatever the other lines and the
// order coupon add, since their ids are distinct, so one pass serves every order
// coupon. Two ways to drop sums that cannot win, both exact: the floor window (a sum is
// dropped once no order coupon, nor none, could lift it to a total known to be
// reachable) and, where sums are dense, optimal prefixes (see run_by_optimal_prefixes).
// The work is polynomial in the sums still in play, where a search of combinations
// would blow up.
class CouponSearch {
public:
    // `ranked_ids`: every option's issue id, sorted; a state's chosen coupons are a
    // bit set over those ranks, so the tie-break on sorted ids is a bit comparison.
    CouponSearch(const std::vector<SearchLine>& lines, Won subtotal, std::vector<const IssuedCoupon*> orders,
                 size_t line_count)
        : lines_(lines), subtotal_(subtotal), line_count_(line_count) {
        for (const SearchLine& line : lines_)
            for (const Option& o : line.options) ranked_ids_.push_back(o.issue_id);
        std::sort(ranked_ids_.begin(), ranked_ids_.end());
        words_ = (ranked_ids_.size() + 63) / 64 + 1;
        for (const SearchLine& line : lines_)
            for (const Option& o : line.options)
                rank_of_.push_back(static_cast<size_t>(
                    std::lower_bound(ranked_ids_.begin(), ranked_ids_.end(), o.issue_id) - ranked_ids_.begin()));
        suffix_max_.assign(lines_.size() + 1, 0);
        for (size_t i = lines_.size(); i-- > 0;) suffix_max_[i] = suffix_max_[i + 1] + lines_[i].max();
        choices_.push_back({nullptr, subtotal_});
        for (const IssuedCoupon* o : orders) choices_.push_back({o, subtotal_ - o->coupon.min_order_amount});
    }

    Best run(CouponSearchMethod method) {
        if (method == CouponSearchMethod::Automatic)
            method = looks_dense() ? CouponSearchMethod::OptimalPrefixes : CouponSearchMethod::FloorWindow;
        if (method == CouponSearchMethod::OptimalPrefixes)
            if (auto best = run_by_optimal_prefixes()) return *best;
        return run_by_floor_window();
    }

private:
    struct OrderChoice {
        const IssuedCoupon* coupon;  // nullptr: no order coupon
        Won cap;                     // the largest product discount that keeps its minimum
    };
    struct State {
        Won sum;
        uint32_t count;
    };
    struct Level {
        std::vector<State> states;   // sorted by sum, one per sum
        std::vector<uint64_t> masks; // words_ per state
    };
    using Intervals = std::vector<std::pair<Won, Won>>;

    // Many reachable sums (many lines with coupons, a narrow spread of discounts): the
    // per-sum states of the floor window would number in the tens of thousands.
    bool looks_dense() const {
        double combinations = 1;
        for (const SearchLine& line : lines_) combinations *= static_cast<double>(line.options.size() + 1);
        return suffix_max_[0] <= kMaxTableSum &&
               std::min(combinations, static_cast<double>(suffix_max_[0] + 1)) > kDenseStates;
    }

    Level start() const {
        Level level;
        level.states.push_back({0, 0});
        level.masks.assign(words_, 0);
        return level;
    }

    // Method 1: every sum from which some order choice can still reach `floor` (a total
    // a greedy assignment is known to reach), with the remaining lines' largest coupons.
    Best run_by_floor_window() {
        Won floor = 0;
        for (const OrderChoice& o : choices_) floor = std::max(floor, g(o, greedy_completion(0, 0, o.cap)));
        Level level = start();
        size_t first_option = 0;
        for (size_t i = 0; i < lines_.size() && !level.states.empty(); ++i) {
            level = advance(level, i, first_option, kept_intervals(suffix_max_[i + 1], floor));
            first_option += lines_[i].options.size();
        }
        Best best;
        for (const OrderChoice& o : choices_)
            for (size_t k = 0; k < level.states.size() && level.states[k].sum <= o.cap; ++k) record(best, o, level, k);
        return best;
    }

    // Method 2, for dense carts: first, for every line, the fewest coupons the lines from
    // there on need to take off exactly s (a table per line, cheap: one byte a sum).
    // That gives the best total, the fewest coupons reaching it and the final sums that
    // do; the forward pass then keeps only states that are the start of such a best
    // assignment. Nothing when the tables would be too large or the targets too many.
    std::optional<Best> run_by_optimal_prefixes() {
        const size_t n = lines_.size();
        if (n >= kUnreachable) return std::nullopt;
        size_t bytes = 0;
        for (size_t i = 0; i <= n; ++i) bytes += static_cast<size_t>(suffix_max_[i] + 1);
        if (bytes > kMaxTableBytes) return std::nullopt;
        // fewest[i][s]: the fewest coupons lines i.. take to take exactly s off.
        std::vector<uint8_t>& scratch = table_scratch();
        if (scratch.size() < bytes) scratch.resize(bytes);
        std::vector<std::span<uint8_t>> fewest(n + 1);
        for (size_t i = 0, offset = 0; i <= n; offset += fewest[i].size(), ++i)
            fewest[i] = std::span<uint8_t>(scratch.data() + offset, static_cast<size_t>(suffix_max_[i] + 1));
        fewest[n][0] = 0;
        for (size_t i = n; i-- > 0;) {
            const std::span<uint8_t> after = fewest[i + 1], here = fewest[i];
            std::copy(after.begin(), after.end(), here.begin());  // no coupon on line i
            std::fill(here.begin() + static_cast<std::ptrdiff_t>(after.size()), here.end(), kUnreachable);
            for (const Option& o : lines_[i].options) {
                // Written so the compiler vectorises it: a byte-wise saturating +1 and min.
                const uint8_t* __restrict from = after.data();
                uint8_t* __restrict to = here.data() + o.discount;
                const size_t size = after.size();
                for (size_t s = 0; s < size; ++s) {
                    const auto taken = static_cast<uint8_t>(from[s] + (from[s] != kUnreachable));
                    to[s] = to[s] < taken ? to[s] : taken;
                }
            }
        }
        const std::span<uint8_t> all = fewest[0];

        // The best total, and the (order choice, final sum) pairs that give it with the
        // fewest coupons.
        struct Target {
            const OrderChoice* order;
            Won sum;
            uint32_t count;  // coupons, the order coupon included
        };
        Won best_total = -1;
        std::vector<Target> targets;
        for (const OrderChoice& o : choices_) {
            Won top = std::min(o.cap, suffix_max_[0]);
            while (top >= 0 && all[static_cast<size_t>(top)] == kUnreachable) --top;
            if (top < 0) continue;
            const Won total = g(o, top);
            if (total < best_total) continue;
            if (total > best_total) targets.clear();
            best_total = total;
            for (Won p = top; p >= 0 && g(o, p) == total; --p) {  // g_o never decreases
                if (all[static_cast<size_t>(p)] == kUnreachable) continue;
                if (targets.size() == kMaxTargets) return std::nullopt;
                targets.push_back({&o, p, all[static_cast<size_t>(p)] + (o.coupon ? 1u : 0u)});
            }
        }
        if (targets.empty()) return std::nullopt;
        uint32_t fewest_count = UINT32_MAX;
        for (const Target& t : targets) fewest_count = std::min(fewest_count, t.count);
        std::erase_if(targets, [&](const Target& t) { return t.count != fewest_count; });
        Won low = targets.front().sum, high = low;
        for (const Target& t : targets) {
            low = std::min(low, t.sum);
            high = std::max(high, t.sum);
        }

        Level level = start();
        size_t first_option = 0;
        for (size_t i = 0; i < n && !level.states.empty(); ++i) {
            const std::span<uint8_t> rest = fewest[i + 1];
            level = advance(level, i, first_option, Intervals{{low - suffix_max_[i + 1], high}});
            first_option += lines_[i].options.size();
            keep_states(level, [&](const State& st) {
                for (const Target& t : targets) {
                    const Won need = t.sum - st.sum;
                    if (need < 0 || need >= static_cast<Won>(rest.size())) continue;
                    const uint8_t more = rest[static_cast<size_t>(need)];
                    if (more != kUnreachable && st.count + more + (t.order->coupon ? 1u : 0u) == fewest_count) return true;
                }
                return false;
            });
        }
        Best best;
        for (const Target& t : targets) {
            auto it = std::lower_bound(level.states.begin(), level.states.end(), t.sum,
                                       [](const State& st, Won v) { return st.sum < v; });
            if (it != level.states.end() && it->sum == t.sum)
                record(best, *t.order, level, static_cast<size_t>(it - level.states.begin()));
        }
        if (!best.found) return std::nullopt;  // cannot happen: the targets are reachable
        return best;
    }

    template <typename Keep>
    void keep_states(Level& level, Keep keep) const {
        size_t out = 0;
        for (size_t k = 0; k < level.states.size(); ++k) {
            if (!keep(level.states[k])) continue;
            level.states[out] = level.states[k];
            std::copy_n(&level.masks[k * words_], words_, &level.masks[out * words_]);
            ++out;
        }
        level.states.resize(out);
        level.masks.resize(out * words_);
    }

    Won g(const OrderChoice& o, Won p) const { return p + (o.coupon ? discount_for(o.coupon->coupon, subtotal_ - p) : 0); }

    // A sum some completion of `sum` reaches: each later line's largest coupon that still fits.
    Won greedy_completion(Won sum, size_t from, Won cap) const {
        for (size_t j = from; j < lines_.size(); ++j)
            for (const Option& o : lines_[j].options)
                if (sum + o.discount <= cap) {
                    sum += o.discount;
                    break;
                }
        return sum;
    }

    // For sets of equal size, sorted(a) < sorted(b) exactly when the smallest id in
    // one set and not the other is in a.
    bool smaller_ids(const uint64_t* a, const uint64_t* b) const {
        for (size_t w = 0; w < words_; ++w)
            if (const uint64_t x = a[w] ^ b[w]) return (a[w] & (x & (~x + 1))) != 0;
        return false;
    }

    // The sums worth keeping after line i: for each order choice the interval of sums
    // from which it can still reach `floor`, merged.
    Intervals kept_intervals(Won rest, Won floor) const {
        std::vector<std::pair<Won, Won>> intervals;
        for (const OrderChoice& o : choices_) {
            if (o.cap < 0) continue;
            Won low = 0, high = o.cap + 1;
            while (low < high) {
                const Won mid = low + (high - low) / 2;
                if (g(o, std::min(mid + rest, o.cap)) >= floor) high = mid; else low = mid + 1;
            }
            if (low <= o.cap) intervals.emplace_back(low, o.cap);
        }
        std::sort(intervals.begin(), intervals.end());
        std::vector<std::pair<Won, Won>> merged;
        for (const auto& iv : intervals) {
            if (!merged.empty() && iv.first <= merged.back().second + 1)
                merged.back().second = std::max(merged.back().second, iv.second);
            else
                merged.push_back(iv);
        }
        return merged;
    }

    // The states after line i with sums in `keep` (sorted, disjoint): each state with no
    // coupon or one of the line's options (a merge of shifted copies of the sorted
    // states), one state per sum.
    Level advance(const Level& cur, size_t i, size_t first_option, const Intervals& keep) {
        const SearchLine& line = lines_[i];
        Level next;
        if (keep.empty()) return next;
        const Won low = keep.front().first, high = keep.back().second;
        const size_t choices = line.options.size() + 1;  // choice 0: no coupon
        auto shift = [&](size_t c) { return c == 0 ? Won(0) : line.options[c - 1].discount; };
        std::vector<size_t> cursor(choices);
        for (size_t c = 0; c < choices; ++c)
            cursor[c] = static_cast<size_t>(
                std::lower_bound(cur.states.begin(), cur.states.end(), low - shift(c),
                                 [](const State& s, Won v) { return s.sum < v; }) -
                cur.states.begin());
        std::vector<uint64_t> mask(words_);
        size_t interval = 0;
        for (;;) {
            size_t pick = choices;
            Won pick_sum = 0;
            for (size_t c = 0; c < choices; ++c) {
                if (cursor[c] >= cur.states.size()) continue;
                const Won sum = cur.states[cursor[c]].sum + shift(c);
                if (sum > high) continue;
                if (pick == choices || sum < pick_sum) {
                    pick = c;
                    pick_sum = sum;
                }
            }
            if (pick == choices) break;
            const size_t from = cursor[pick]++;
            while (interval < keep.size() && keep[interval].second < pick_sum) ++interval;
            if (interval == keep.size() || pick_sum < keep[interval].first) continue;  // in a gap
            const uint64_t* from_mask = &cur.masks[from * words_];
            std::copy(from_mask, from_mask + words_, mask.begin());
            uint32_t count = cur.states[from].count;
            if (pick > 0) {
                const size_t rank = rank_of_[first_option + pick - 1];
                mask[rank / 64] |= uint64_t(1) << (rank % 64);
                ++count;
            }
            if (!next.states.empty() && next.states.back().sum == pick_sum) {
                State& last = next.states.back();
                uint64_t* last_mask = &next.masks[(next.states.size() - 1) * words_];
                if (count < last.count || (count == last.count && smaller_ids(mask.data(), last_mask))) {
                    last.count = count;
                    std::copy(mask.begin(), mask.end(), last_mask);
                }
                continue;
            }
            next.states.push_back({pick_sum, count});
            next.masks.insert(next.masks.end(), mask.begin(), mask.end());
        }
        return next;
    }

    void record(Best& best, const OrderChoice& o, const Level& level, size_t k) const {
        const State& s = level.states[k];
        const Won total = g(o, s.sum);
        const size_t count = s.count + (o.coupon ? 1 : 0);
        if (best.found && (total < best.total || (total == best.total && count > best.count))) return;
        const uint64_t* mask = &level.masks[k * words_];
        auto chosen = [&](size_t rank) { return (mask[rank / 64] >> (rank % 64)) & 1; };
        std::vector<int64_t> ids;
        for (size_t r = 0; r < ranked_ids_.size(); ++r)
            if (chosen(r)) ids.push_back(ranked_ids_[r]);
        if (o.coupon) {
            ids.push_back(o.coupon->issue_id);
            std::sort(ids.begin(), ids.end());
        }
        if (!best.beaten_by(total, count, ids)) return;
        best.found = true;
        best.total = total;
        best.count = count;
        best.ids = std::move(ids);
        best.line_coupon.assign(line_count_, std::nullopt);
        size_t option = 0;
        for (const SearchLine& line : lines_)
            for (const Option& opt : line.options)
                if (chosen(rank_of_[option++])) best.line_coupon[line.line_index] = opt.issue_id;
        best.order_coupon = o.coupon ? std::optional<int64_t>(o.coupon->issue_id) : std::nullopt;
    }

    const std::vector<SearchLine>& lines_;
    Won subtotal_;
    size_t line_count_;
    std::vector<int64_t> ranked_ids_;
    size_t words_ = 1;
    std::vector<size_t> rank_of_;  // per option, in line order
    std::vector<Won> suffix_max_;
    std::vector<OrderChoice> choices_;
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
    return out;
}

}  // namespace

CouponPlan choose_best_coupons(const std::vector<PricedLine>& lines, Won subtotal,
                               const std::vector<IssuedCoupon>& usable, CouponSearchMethod method) {
    const std::vector<SearchLine> search = search_lines(lines, usable);
    const Best best = CouponSearch(search, subtotal, order_candidates(usable, subtotal), lines.size()).run(method);

    CouponPlan plan;
    plan.line_coupon = best.found ? best.line_coupon : std::vector<std::optional<int64_t>>(lines.size());
    plan.order_coupon = best.order_coupon;
    price_plan(plan, lines, subtotal, usable);
    return plan;
}

}  // namespace shopctl
