// Receipt: what a checkout prints and pushes (SPEC.md section 5). Built from a
// decision at checkout time, or from the stored order for `orders show` and
// idempotent replays; its JSON key names are the contract.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/checkout.h"
#include "core/json_reader.h"
#include "core/json_text.h"

namespace shopctl {

struct PlatformState {
    std::string status = "QUEUED";  // SENT, QUEUED or DEAD
    int64_t attempts = 0;
    std::optional<std::string> error;
};

struct Receipt {
    std::optional<int64_t> order_id;  // nullopt for a quote
    int64_t member_id = 0;
    std::string status;               // PAID, CANCELLED or QUOTE
    std::string created_at;
    std::vector<DecidedLine> items;
    Won subtotal = 0;
    Won product_discount = 0;
    std::optional<int64_t> order_coupon_issue_id;
    Won order_discount = 0;
    Won total = 0;
    Won points_before = 0;
    Won points_after = 0;
    std::optional<std::string> idempotency_key;
    bool replayed = false;
    std::optional<PlatformState> platform;  // absent in the outbox payload and in quotes
    std::vector<CouponExplanation> explanation;  // printed with --explain only
    // What returns gave back, per item (in item order) and in all: read from the store
    // once an order has a return, so `orders show` lists it; absent before.
    struct Returned {
        std::vector<int64_t> quantity;
        std::vector<Won> refunded;
        Won total_refunded = 0;
    };
    std::optional<Returned> returned;

    static Receipt from_decision(const CheckoutDecision& d, std::optional<int64_t> order_id, std::string status,
                                 std::string created_at, std::optional<std::string> idempotency_key);

    // The receipt as JSON text, keys in the contract's order; `with_explanation`
    // adds "explain". The one place the receipt's keys are written.
    std::string to_json_text(bool with_explanation = false) const;
    // The same document as a JSON value (to_json_text, parsed).
    Json to_json(bool with_explanation = false) const;

    // to_json_text() cut where the order id goes: head + the id in decimal + tail is
    // the text with that id. A store that learns the id only as it inserts the order
    // (a server, in the same round trip) puts the text together there.
    struct TextAroundOrderId {
        std::string head;
        std::string tail;
    };
    TextAroundOrderId to_json_text_around_order_id() const;
};

Json explanation_to_json(const CouponExplanation& e);
void write_platform(JsonText& out, const PlatformState& state);

}  // namespace shopctl
