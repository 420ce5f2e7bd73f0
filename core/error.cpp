#include "core/error.h"

namespace shopctl {

std::string_view code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::NotAMember: return "NOT_A_MEMBER";
        case ErrorCode::ProductNotFound: return "PRODUCT_NOT_FOUND";
        case ErrorCode::ProductSaleEnded: return "PRODUCT_SALE_ENDED";
        case ErrorCode::OutOfStock: return "OUT_OF_STOCK";
        case ErrorCode::CouponNotUsable: return "COUPON_NOT_USABLE";
        case ErrorCode::CouponNotApplicable: return "COUPON_NOT_APPLICABLE";
        case ErrorCode::InsufficientPoints: return "INSUFFICIENT_POINTS";
        case ErrorCode::PriceChanged: return "PRICE_CHANGED";
        case ErrorCode::IdempotencyConflict: return "IDEMPOTENCY_CONFLICT";
        case ErrorCode::OrderNotFound: return "ORDER_NOT_FOUND";
        case ErrorCode::OrderAlreadyCancelled: return "ORDER_ALREADY_CANCELLED";
        case ErrorCode::ReturnExceedsOrder: return "RETURN_EXCEEDS_ORDER";
        case ErrorCode::Usage: return "USAGE";
        case ErrorCode::InvalidCart: return "INVALID_CART";
        case ErrorCode::InvalidFixture: return "INVALID_FIXTURE";
        case ErrorCode::InvalidInput: return "INVALID_INPUT";
        case ErrorCode::InputNotFound: return "INPUT_NOT_FOUND";
        case ErrorCode::PlatformUnavailable: return "PLATFORM_UNAVAILABLE";
        case ErrorCode::StoreError: return "STORE_ERROR";
        case ErrorCode::StoreBusy: return "STORE_BUSY";
    }
    return "STORE_ERROR";
}

nlohmann::ordered_json Error::to_json() const {
    nlohmann::ordered_json j = {{"code", code_name(code)}, {"message", message}};
    for (auto it = details.begin(); it != details.end(); ++it) j[it.key()] = it.value();
    return j;
}

namespace {
Error make(ErrorCode code, std::string message, nlohmann::ordered_json details = nlohmann::ordered_json::object()) {
    return Error{code, std::move(message), std::move(details)};
}
std::string num(int64_t v) { return std::to_string(v); }
}  // namespace

Error Error::NotAMember(const std::string& why) { return make(ErrorCode::NotAMember, why); }
Error Error::UnknownMember(int64_t id) {
    return make(ErrorCode::NotAMember, "member " + num(id) + " does not exist", {{"member_id", id}});
}
Error Error::ProductNotFound(int64_t id) {
    return make(ErrorCode::ProductNotFound, "product " + num(id) + " does not exist", {{"product_id", id}});
}
Error Error::ProductSaleEnded(int64_t id) {
    return make(ErrorCode::ProductSaleEnded, "product " + num(id) + " is no longer on sale", {{"product_id", id}});
}
Error Error::OutOfStock(int64_t id, int64_t requested, int64_t available) {
    return make(ErrorCode::OutOfStock,
                "product " + num(id) + ": " + num(requested) + " requested, " + num(available) + " in stock",
                {{"product_id", id}, {"requested", requested}, {"available", available}});
}
Error Error::CouponNotUsable(int64_t issue_id, const std::string& why) {
    return make(ErrorCode::CouponNotUsable, "coupon " + num(issue_id) + " is not usable: " + why,
                {{"coupon_issue_id", issue_id}});
}
Error Error::CouponNotApplicable(int64_t issue_id, const std::string& why) {
    return make(ErrorCode::CouponNotApplicable, "coupon " + num(issue_id) + " does not apply: " + why,
                {{"coupon_issue_id", issue_id}});
}
Error Error::InsufficientPoints(int64_t balance, int64_t total) {
    return make(ErrorCode::InsufficientPoints,
                "the total is " + num(total) + " won but the member has " + num(balance) + " points",
                {{"balance", balance}, {"total", total}});
}
Error Error::PriceChanged(int64_t expected, int64_t actual) {
    return make(ErrorCode::PriceChanged,
                "expected_total is " + num(expected) + " but the total is now " + num(actual),
                {{"expected_total", expected}, {"total", actual}});
}
Error Error::IdempotencyConflict(const std::string& key) {
    // The order that holds the key may be another member's: its id is not ours to show.
    return make(ErrorCode::IdempotencyConflict,
                "idempotency_key '" + key + "' is already taken by a different cart", {{"idempotency_key", key}});
}
Error Error::OrderNotFound(int64_t id) {
    return make(ErrorCode::OrderNotFound, "order " + num(id) + " does not exist", {{"order_id", id}});
}
Error Error::OrderAlreadyCancelled(int64_t id) {
    return make(ErrorCode::OrderAlreadyCancelled, "order " + num(id) + " is already cancelled", {{"order_id", id}});
}
Error Error::OrderFullyReturned(int64_t id) {
    return make(ErrorCode::OrderAlreadyCancelled, "order " + num(id) + " is already fully returned: nothing is left to give back",
                {{"order_id", id}});
}
Error Error::ReturnExceedsOrder(int64_t order_id, int64_t product_id, int64_t requested, int64_t returnable) {
    return make(ErrorCode::ReturnExceedsOrder,
                returnable == 0 && requested > 0
                    ? "order " + num(order_id) + " has nothing of product " + num(product_id) + " left to return"
                    : "order " + num(order_id) + ": " + num(requested) + " of product " + num(product_id) +
                          " asked back, " + num(returnable) + " left to return",
                {{"order_id", order_id}, {"product_id", product_id}, {"requested", requested}, {"returnable", returnable}});
}
Error Error::Usage(const std::string& m) { return make(ErrorCode::Usage, m); }
Error Error::InvalidCart(const std::string& field, const std::string& m) {
    return make(ErrorCode::InvalidCart, field.empty() ? m : field + ": " + m,
                field.empty() ? nlohmann::ordered_json::object() : nlohmann::ordered_json{{"field", field}});
}
Error Error::InvalidFixture(const std::string& field, const std::string& m) {
    return make(ErrorCode::InvalidFixture, field.empty() ? m : field + ": " + m,
                field.empty() ? nlohmann::ordered_json::object() : nlohmann::ordered_json{{"field", field}});
}
Error Error::InvalidInput(const std::string& m) { return make(ErrorCode::InvalidInput, m); }
Error Error::InputNotFound(const std::string& path) {
    return make(ErrorCode::InputNotFound, path + ": no such file", {{"path", path}});
}
Error Error::PlatformUnavailable(const std::string& m) { return make(ErrorCode::PlatformUnavailable, m); }
Error Error::StoreError(const std::string& m) { return make(ErrorCode::StoreError, m); }
Error Error::StoreBusy(const std::string& m) { return make(ErrorCode::StoreBusy, m); }

}  // namespace shopctl
