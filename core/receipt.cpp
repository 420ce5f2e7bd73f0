#include "core/receipt.h"

namespace shopctl {

namespace {
template <typename T>
Json optional_json(const std::optional<T>& v) {
    return v ? Json(*v) : Json(nullptr);
}
}  // namespace

Receipt Receipt::from_decision(const CheckoutDecision& d, std::optional<int64_t> order_id, std::string status,
                               std::string created_at, std::optional<std::string> idempotency_key) {
    Receipt r;
    r.order_id = order_id;
    r.member_id = d.member_id;
    r.status = std::move(status);
    r.created_at = std::move(created_at);
    r.items = d.lines;
    r.subtotal = d.subtotal;
    r.product_discount = d.product_discount;
    r.order_coupon_issue_id = d.order_coupon_issue_id;
    r.order_discount = d.order_discount;
    r.total = d.total;
    r.points_before = d.points_before;
    r.points_after = d.points_after;
    r.idempotency_key = std::move(idempotency_key);
    r.explanation = d.explanation;
    return r;
}

Json explanation_to_json(const CouponExplanation& e) {
    return {{"coupon_issue_id", e.coupon_issue_id}, {"coupon_id", e.coupon_id}, {"name", e.name},
            {"scope", e.scope}, {"product_id", optional_json(e.product_id)}, {"used", e.used},
            {"discount", e.discount}, {"reason", e.reason}, {"detail", e.detail}};
}

void write_platform(JsonText& out, const PlatformState& state) {
    out.begin_object().field("status", state.status).field("attempts", state.attempts).field("error", state.error).end_object();
}

std::string Receipt::to_json_text(bool with_explanation) const {
    JsonText out;
    out.begin_object();
    if (order_id) out.field("order_id", *order_id);
    out.field("member_id", member_id).field("status", status).field("created_at", created_at);
    out.key("items").begin_array();
    for (size_t i = 0; i < items.size(); ++i) {
        const DecidedLine& l = items[i];
        out.begin_object()
            .field("product_id", l.product_id)
            .field("name", l.name)
            .field("quantity", l.quantity)
            .field("unit_price", l.unit_price)
            .field("line_total", l.line_total)
            .field("coupon_issue_id", l.coupon_issue_id)
            .field("discount", l.discount)
            .field("amount", l.amount);
        if (returned) out.field("returned_quantity", returned->quantity[i]).field("refunded", returned->refunded[i]);
        out.end_object();
    }
    out.end_array();
    out.field("subtotal", subtotal)
        .field("product_discount", product_discount)
        .field("order_coupon_issue_id", order_coupon_issue_id)
        .field("order_discount", order_discount)
        .field("total", total)
        .field("points_before", points_before)
        .field("points_after", points_after)
        .field("idempotency_key", idempotency_key)
        .field("replayed", replayed);
    if (returned) out.field("refunded", returned->total_refunded);
    if (platform) {
        out.key("platform");
        write_platform(out, *platform);
    }
    if (with_explanation) {
        Json list = Json::array();
        for (const auto& e : explanation) list.push_back(explanation_to_json(e));
        out.key("explain").raw(list.dump(-1, ' ', false, Json::error_handler_t::replace));
    }
    out.end_object();
    return out.take();
}

Receipt::TextAroundOrderId Receipt::to_json_text_around_order_id() const {
    Receipt with_zero = *this;
    with_zero.order_id = 0;
    const std::string text = with_zero.to_json_text();
    // order_id is the first key: `{"order_id":0,...`, its one digit right after the colon.
    const size_t colon = text.find(':');
    return {text.substr(0, colon + 1), text.substr(colon + 2)};
}

Json Receipt::to_json(bool with_explanation) const { return Json::parse(to_json_text(with_explanation)); }

}  // namespace shopctl
