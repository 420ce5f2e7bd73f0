#include "core/cart.h"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace shopctl {

namespace {

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinId = std::numeric_limits<int64_t>::min();

Result<std::vector<CartLine>> read_items(const Json& items) {
    if (auto s = expect_array(items, "items", Error::InvalidCart); !s) return s.error();
    if (items.empty()) return Error::InvalidCart("items", "must hold at least one line");
    std::vector<CartLine> merged;
    std::unordered_map<int64_t, size_t> line_of;
    for (size_t i = 0; i < items.size(); ++i) {
        const std::string path = index_path("items", i);
        const Json& line = items[i];
        if (auto s = expect_object(line, path, Error::InvalidCart); !s) return s.error();
        if (auto s = only_keys(line, path, {"product_id", "quantity"}, Error::InvalidCart); !s) return s.error();
        const Json* pid = find_key(line, "product_id");
        if (!pid) return Error::InvalidCart(field_path(path, "product_id"), "is required");
        auto product_id = read_integer(*pid, field_path(path, "product_id"), kMinId, kMaxId, Error::InvalidCart);
        if (!product_id) return product_id.error();
        const Json* qty = find_key(line, "quantity");
        if (!qty) return Error::InvalidCart(field_path(path, "quantity"), "is required");
        auto quantity = read_integer(*qty, field_path(path, "quantity"), 1, kMaxQuantity, Error::InvalidCart);
        if (!quantity) return quantity.error();

        // A hash of product -> merged line: a cart of a million lines merges in linear time.
        const auto [slot, first] = line_of.try_emplace(*product_id, merged.size());
        if (first) {
            merged.push_back({*product_id, *quantity});
        } else {
            CartLine* same = &merged[slot->second];
            same->quantity += *quantity;  // both <= 1e6: cannot overflow
            if (same->quantity > kMaxQuantity)
                return Error::InvalidCart(field_path(path, "quantity"),
                                          "product " + std::to_string(*product_id) + " adds up to " +
                                              std::to_string(same->quantity) + " over its lines, more than " +
                                              std::to_string(kMaxQuantity));
        }
    }
    return merged;
}

Result<std::vector<int64_t>> read_coupons(const Json& coupons) {
    if (auto s = expect_array(coupons, "coupons", Error::InvalidCart); !s) return s.error();
    std::vector<int64_t> ids;
    std::unordered_set<int64_t> seen;
    for (size_t i = 0; i < coupons.size(); ++i) {
        auto id = read_integer(coupons[i], index_path("coupons", i), kMinId, kMaxId, Error::InvalidCart);
        if (!id) return id.error();
        if (!seen.insert(*id).second)
            return Error::InvalidCart(index_path("coupons", i), "coupon " + std::to_string(*id) + " is listed twice");
        ids.push_back(*id);
    }
    return ids;
}

}  // namespace

Result<Cart> parse_cart(std::string_view text) {
    auto json = parse_json_text(text, Error::InvalidCart, "the cart");
    if (!json) return json.error();
    return cart_from_json(*json);
}

Result<Cart> cart_from_json(const Json& json) {
    if (!json.is_object()) return Error::InvalidCart("", "the cart must be a JSON object, got " + json_type_name(json));
    if (auto s = only_keys(json, "", {"member_id", "items", "coupons", "idempotency_key", "expected_total"},
                           Error::InvalidCart);
        !s)
        return s.error();
    Cart cart;
    if (const Json* member = find_key(json, "member_id"); member && !member->is_null()) {
        auto id = read_integer(*member, "member_id", kMinId, kMaxId, Error::InvalidCart);
        if (!id) return id.error();
        cart.member_id = *id;
    }
    const Json* items = find_key(json, "items");
    if (!items) return Error::InvalidCart("items", "is required");
    auto lines = read_items(*items);
    if (!lines) return lines.error();
    cart.items = std::move(*lines);
    if (const Json* coupons = find_key(json, "coupons"); coupons && !coupons->is_null()) {  // null: absent
        auto ids = read_coupons(*coupons);
        if (!ids) return ids.error();
        cart.coupons = std::move(*ids);
    }
    if (const Json* key = find_key(json, "idempotency_key"); key && !key->is_null()) {
        auto s = read_string(*key, "idempotency_key", 1, kMaxIdempotencyKeyLength, Error::InvalidCart);
        if (!s) return s.error();
        cart.idempotency_key = std::move(*s);
    }
    if (const Json* expected = find_key(json, "expected_total"); expected && !expected->is_null()) {
        auto total = read_integer(*expected, "expected_total", 0, kMaxId, Error::InvalidCart);
        if (!total) return total.error();
        cart.expected_total = *total;
    }
    return cart;
}

Status check_same_cart(const Cart& cart, const std::string& stored_fingerprint) {
    if (cart.fingerprint() == stored_fingerprint) return ok_status();
    return Error::IdempotencyConflict(cart.idempotency_key.value_or(""));
}

std::string Cart::fingerprint() const {
    // "m1;i10x2,11x1;c3,7;e41000": cheap to build on every checkout, and stored with the order.
    std::vector<CartLine> lines = items;
    std::sort(lines.begin(), lines.end(), [](const CartLine& a, const CartLine& b) { return a.product_id < b.product_id; });
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) on
    // "literal" + std::string chains.
    std::string f = "m";
    f += member_id ? std::to_string(*member_id) : std::string("-");
    f += ";i";
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i) f += ',';
        f += std::to_string(lines[i].product_id);
        f += 'x';
        f += std::to_string(lines[i].quantity);
    }
    f += ";c";
    if (coupons) {
        auto sorted = *coupons;
        std::sort(sorted.begin(), sorted.end());
        for (size_t i = 0; i < sorted.size(); ++i) {
            if (i) f += ',';
            f += std::to_string(sorted[i]);
        }
    } else {
        f += "-";
    }
    f += ";e";
    f += expected_total ? std::to_string(*expected_total) : std::string("-");
    return f;
}

}  // namespace shopctl
