// Any bytes as a fixture: parsed and loaded into an in-memory store, or refused with
// INVALID_FIXTURE; never a crash, and a loaded store always verifies.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/fixture.h"
#include "db/open_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto fixture = shopctl::parse_fixture(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!fixture) {
        if (fixture.error().code != shopctl::ErrorCode::InvalidFixture) std::abort();
        return 0;
    }
    auto store = shopctl::db::fresh_memory_store();
    if (!store) std::abort();
    auto loaded = (*store)->load_fixture(*fixture, 1795662900);
    if (!loaded) {
        if (loaded.error().code != shopctl::ErrorCode::InvalidFixture) std::abort();
        return 0;
    }
    auto violations = (*store)->verify();
    if (!violations) std::abort();
    for (const auto& v : *violations)
        if (v.check != "used_coupon_names_order") std::abort();
    return 0;
}
