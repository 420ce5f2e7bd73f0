// Cart: what a member asks to buy (SPEC.md section 3), validated and with lines of
// the same product merged. Parsing refuses anything the spec does not allow and
// names the field; it never touches the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_reader.h"
#include "core/money.h"
#include "core/result.h"

namespace shopctl {

inline constexpr int64_t kMaxQuantity = 1'000'000;
inline constexpr size_t kMaxIdempotencyKeyLength = 128;

struct CartLine {
    int64_t product_id = 0;
    int64_t quantity = 0;
    bool operator==(const CartLine&) const = default;
};

struct Cart {
    std::optional<int64_t> member_id;               // absent or null: a guest
    std::vector<CartLine> items;                    // merged, in order of first appearance
    std::optional<std::vector<int64_t>> coupons;    // nullopt: let the checkout choose
    std::optional<std::string> idempotency_key;
    std::optional<Won> expected_total;

    // A canonical text of what the cart asks for, equal for two carts exactly when
    // they are "the same cart" for idempotency (SPEC.md section 6): same member,
    // same merged lines (in any order), same coupon list (in any order), same
    // expected_total.
    std::string fingerprint() const;
};

Result<Cart> parse_cart(std::string_view text);

// SPEC.md section 6: a key already stored with `stored_fingerprint` replays when the
// cart is the same one, and is IDEMPOTENCY_CONFLICT when it is not.
Status check_same_cart(const Cart& cart, const std::string& stored_fingerprint);
Result<Cart> cart_from_json(const Json& json);

}  // namespace shopctl
