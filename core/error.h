// Error: the one error type of shopctl. Each carries a stable code from SPEC.md
// section 5, a one-line human message, and optional details (product_id, field, ...)
// that go into the error JSON. Made by named factories so call sites read as the spec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shopctl {

enum class ErrorCode {
    NotAMember,
    ProductNotFound,
    ProductSaleEnded,
    OutOfStock,
    CouponNotUsable,
    CouponNotApplicable,
    InsufficientPoints,
    PriceChanged,
    IdempotencyConflict,
    OrderNotFound,
    OrderAlreadyCancelled,
    ReturnExceedsOrder,
    Usage,
    InvalidCart,
    InvalidFixture,
    InvalidInput,
    InputNotFound,
    PlatformUnavailable,
    StoreError,
    StoreBusy,
};

// The SPEC name of a code, e.g. "OUT_OF_STOCK".
std::string_view code_name(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
    nlohmann::ordered_json details = nlohmann::ordered_json::object();  // extra keys of the error JSON

    // {"code": ..., "message": ..., <details>}
    nlohmann::ordered_json to_json() const;

    static Error NotAMember(const std::string& why);
    static Error UnknownMember(int64_t member_id);  // NOT_A_MEMBER naming the member
    static Error ProductNotFound(int64_t product_id);
    static Error ProductSaleEnded(int64_t product_id);
    static Error OutOfStock(int64_t product_id, int64_t requested, int64_t available);
    static Error CouponNotUsable(int64_t coupon_issue_id, const std::string& why);
    static Error CouponNotApplicable(int64_t coupon_issue_id, const std::string& why);
    static Error InsufficientPoints(int64_t balance, int64_t total);
    static Error PriceChanged(int64_t expected, int64_t actual);
    static Error IdempotencyConflict(const std::string& key);
    static Error OrderNotFound(int64_t order_id);
    static Error OrderAlreadyCancelled(int64_t order_id);
    static Error OrderFullyReturned(int64_t order_id);  // ORDER_ALREADY_CANCELLED: nothing is left to give back
    static Error ReturnExceedsOrder(int64_t order_id, int64_t product_id, int64_t requested, int64_t returnable);
    static Error Usage(const std::string& message);
    static Error InvalidCart(const std::string& field, const std::string& message);
    static Error InvalidFixture(const std::string& field, const std::string& message);
    static Error InvalidInput(const std::string& message);
    static Error InputNotFound(const std::string& path);
    static Error PlatformUnavailable(const std::string& message);
    static Error StoreError(const std::string& message);
    static Error StoreBusy(const std::string& message);
};

}  // namespace shopctl
