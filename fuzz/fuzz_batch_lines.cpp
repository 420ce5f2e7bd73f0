// Any bytes as a JSONL batch against a small shop in memory: every line is answered,
// a bad line never stops the others, and the store always verifies afterwards.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/fixture.h"
#include "db/open_store.h"
#include "service/batch_runner.h"

namespace {
const char* kShop = R"({"members": [{"id": 1, "name": "Kim", "points": 100000}],
  "products": [{"id": 10, "name": "Mug", "price": 12000, "stock": 5}, {"id": 11, "name": "Tea", "price": 5000, "stock": 3}],
  "coupons": [{"id": 1, "name": "m", "scope": "PRODUCT", "product_id": 10, "discount_type": "PERCENT", "discount_value": 10},
              {"id": 2, "name": "o", "scope": "ORDER", "discount_type": "FIXED", "discount_value": 3000, "min_order_amount": 10000}],
  "coupon_issues": [{"id": 3, "coupon_id": 1, "member_id": 1}, {"id": 4, "coupon_id": 2, "member_id": 1}]})";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto store = shopctl::db::fresh_memory_store();
    if (!store) std::abort();
    auto fixture = shopctl::parse_fixture(kShop);
    if (!fixture || !(*store)->load_fixture(*fixture, 1795662900)) std::abort();
    shopctl::service::OutboxDelivery delivery(**store, std::nullopt);
    int64_t answered = 0, lines = 0;
    shopctl::service::BatchRunner runner(**store, delivery, [] { return shopctl::UnixSeconds{1795662900}; }, 4,
                                         [&](const std::vector<shopctl::service::BatchResult>& results) {
                                             answered += static_cast<int64_t>(results.size());
                                         });
    const std::string input(reinterpret_cast<const char*>(data), size);
    size_t start = 0;
    while (start < input.size()) {
        size_t end = input.find('\n', start);
        if (end == std::string::npos) end = input.size();
        runner.add(++lines, input.substr(start, end - start));
        if (runner.group_full()) runner.run_group();
        start = end + 1;
    }
    runner.run_group();
    if (answered != lines) std::abort();
    auto violations = (*store)->verify();
    if (!violations || !violations->empty()) std::abort();
    return 0;
}
