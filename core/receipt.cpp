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

Json Receipt::to_json(bool with_explanation) const {
    Json j = Json::object();
    if (order_id) j["order_id"] = *order_id;
    j["member_id"] = member_id;
    j["status"] = status;
    j["created_at"] = created_at;
    Json items_json = Json::array();
    for (const auto& l : items)
        items_json.push_back({{"product_id", l.product_id}, {"name", l.name}, {"quantity", l.quantity},
                              {"unit_price", l.unit_price}, {"line_total", l.line_total},
                              {"coupon_issue_id", optional_json(l.coupon_issue_id)}, {"discount", l.discount},
                              {"amount", l.amount}});
    j["items"] = std::move(items_json);
    j["subtotal"] = subtotal;
    j["product_discount"] = product_discount;
    j["order_coupon_issue_id"] = optional_json(order_coupon_issue_id);
    j["order_discount"] = order_discount;
    j["total"] = total;
    j["points_before"] = points_before;
    j["points_after"] = points_after;
    j["idempotency_key"] = optional_json(idempotency_key);
    j["replayed"] = replayed;
    if (platform)
        j["platform"] = {{"status", platform->status}, {"attempts", platform->attempts},
                         {"error", optional_json(platform->error)}};
    if (with_explanation) {
        j["explain"] = Json::array();
        for (const auto& e : explanation) j["explain"].push_back(explanation_to_json(e));
    }
    return j;
}

}  // namespace shopctl
