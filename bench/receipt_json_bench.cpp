// receipt_json_bench: what writing a receipt costs with the hand-written JSON writer
// (Receipt::to_json_text, the one shopctl uses) against building the same document as
// an nlohmann::ordered_json object and dumping it. Both outputs are checked equal.
//   build-release/receipt_json_bench [ROUNDS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/receipt.h"

namespace {

shopctl::Receipt sample() {
    shopctl::Receipt r;
    r.order_id = 1234;
    r.member_id = 7;
    r.status = "PAID";
    r.created_at = "2026-11-26T03:15:00Z";
    r.items = {{10, "Ceramic mug", 3, 12000, 36000, 3, 3000, 33000},
               {12, "Drip coffee set", 1, 32000, 32000, 4, 5000, 27000},
               {11, "Green tea 50g", 3, 8500, 25500, std::nullopt, 0, 25500}};
    r.subtotal = 93500;
    r.product_discount = 8000;
    r.order_coupon_issue_id = 5;
    r.order_discount = 7000;
    r.total = 78500;
    r.points_before = 200000;
    r.points_after = 121500;
    r.idempotency_key = "po-2026-0042";
    r.platform = shopctl::PlatformState{};
    return r;
}

nlohmann::ordered_json as_object(const shopctl::Receipt& r) {
    auto optional = [](const auto& v) { return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr); };
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    for (const auto& l : r.items)
        items.push_back({{"product_id", l.product_id}, {"name", l.name}, {"quantity", l.quantity},
                         {"unit_price", l.unit_price}, {"line_total", l.line_total},
                         {"coupon_issue_id", optional(l.coupon_issue_id)}, {"discount", l.discount},
                         {"amount", l.amount}});
    return {{"order_id", optional(r.order_id)}, {"member_id", r.member_id}, {"status", r.status},
            {"created_at", r.created_at}, {"items", items}, {"subtotal", r.subtotal},
            {"product_discount", r.product_discount}, {"order_coupon_issue_id", optional(r.order_coupon_issue_id)},
            {"order_discount", r.order_discount}, {"total", r.total}, {"points_before", r.points_before},
            {"points_after", r.points_after}, {"idempotency_key", optional(r.idempotency_key)},
            {"replayed", r.replayed},
            {"platform", {{"status", r.platform->status}, {"attempts", r.platform->attempts},
                          {"error", optional(r.platform->error)}}}};
}

template <typename F>
double microseconds_each(long rounds, F&& f) {
    size_t sink = 0;
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < rounds; ++i) sink += f().size();
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    if (sink == 0) std::abort();
    return us / rounds;
}

}  // namespace

int main(int argc, char** argv) {
    const long rounds = argc > 1 ? std::atol(argv[1]) : 200000;
    const shopctl::Receipt r = sample();
    if (nlohmann::json::parse(r.to_json_text()) != nlohmann::json::parse(as_object(r).dump())) {
        std::fprintf(stderr, "receipt_json_bench: the two writers disagree\n");
        return 1;
    }
    const double text = microseconds_each(rounds, [&] { return r.to_json_text(); });
    const double object = microseconds_each(rounds, [&] { return as_object(r).dump(); });
    std::printf("RESULT to_json_text_us=%.2f nlohmann_object_dump_us=%.2f ratio=%.1fx bytes=%zu\n", text, object,
                object / text, r.to_json_text().size());
    return 0;
}
