// Any bytes as a cart: parsed or refused with INVALID_CART, never a crash; a parsed
// cart always satisfies the spec's limits.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/cart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto cart = shopctl::parse_cart(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!cart) {
        if (cart.error().code != shopctl::ErrorCode::InvalidCart) std::abort();
        return 0;
    }
    if (cart->items.empty()) std::abort();
    for (const auto& line : cart->items)
        if (line.quantity < 1 || line.quantity > shopctl::kMaxQuantity) std::abort();
    (void)cart->fingerprint();
    return 0;
}
