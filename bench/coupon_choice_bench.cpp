// Micro-benchmark of the exact coupon choice: a member holding 100 coupons (a quarter
// of them order coupons with minimums) on a 20-line cart, over many seeded random
// shops. Prints the median, p99 and worst time per decision.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "core/coupon_choice.h"

using namespace shopctl;

// adversarial: all 75 product coupons on the cart's 25 products, order minimums
// anywhere up to the subtotal. realistic: the 100 coupons spread over a 200-product
// catalogue (the cart holds 20 of them), order minimums at round amounts.
void run(const char* name, bool adversarial, int rounds) {
    std::mt19937_64 rng(20261126);
    auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    std::vector<double> micros;
    Won checksum = 0;
    for (int r = 0; r < rounds; ++r) {
        std::vector<PricedLine> lines;
        Won subtotal = 0;
        for (int64_t i = 0; i < 20; ++i) {
            lines.push_back({i + 1, uniform(5, 500) * 100 * uniform(1, 3)});
            subtotal += lines.back().line_total;
        }
        std::vector<IssuedCoupon> coupons;
        for (int64_t c = 0; c < 100; ++c) {
            IssuedCoupon ic;
            ic.issue_id = c + 1;
            const bool order = c % 4 == 0;
            const bool percent = c % 3 == 0;
            const int64_t product = adversarial ? uniform(1, 25) : uniform(1, 200);
            const Won minimum = adversarial ? uniform(0, subtotal) : uniform(0, 10) * 50000;
            ic.coupon = Coupon{c + 1, "c", order ? CouponScope::Order : CouponScope::Product,
                               order ? std::nullopt : std::optional<int64_t>(product),
                               percent ? DiscountType::Percent : DiscountType::Fixed,
                               percent ? uniform(5, 50) : uniform(1, 60) * 100,
                               percent && uniform(0, 1) ? std::optional<Won>(uniform(1, 10) * 1000) : std::nullopt,
                               order ? minimum : uniform(0, 3) * 10000, {}, {}};
            coupons.push_back(ic);
        }
        const auto start = std::chrono::steady_clock::now();
        const CouponPlan plan = choose_best_coupons(lines, subtotal, coupons);
        micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
        checksum += plan.total_discount();
    }
    std::sort(micros.begin(), micros.end());
    std::printf("RESULT coupon_choice %s lines=20 coupons=100 rounds=%d median_us=%.1f p99_us=%.1f max_us=%.1f checksum=%lld\n",
                name, rounds, micros[micros.size() / 2], micros[micros.size() * 99 / 100], micros.back(),
                static_cast<long long>(checksum));
}

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
    run("realistic", false, rounds);
    run("adversarial", true, rounds);
}
