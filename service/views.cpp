#include "service/views.h"

namespace shopctl::service {

Json platform_json(const PlatformState& state) {
    JsonText text;  // the receipt's writer owns the block's key names
    write_platform(text, state);
    return Json::parse(text.str());
}

Json points_json(const db::MemberPoints& p, bool with_history) {
    Json j = {{"member_id", p.member_id}, {"name", p.name}, {"balance", p.balance}};
    if (with_history) {
        j["history"] = Json::array();
        for (const auto& h : p.history) j["history"].push_back(point_entry_json(h));
    }
    return j;
}

Json point_entry_json(const db::PointEntry& h) {
    return {{"id", h.id},
            {"order_id", h.order_id ? Json(*h.order_id) : Json(nullptr)},
            {"delta", h.delta},
            {"balance_after", h.balance_after},
            {"reason", h.reason},
            {"created_at", h.created_at}};
}

Json return_json(const db::ReturnResult& r, const PlatformState& platform, bool explain) {
    Json out = r.payload;
    out.erase("event");
    if (explain && out.contains("lines"))
        for (size_t i = 0; i < r.lines.size(); ++i) {
            out["lines"][i]["net"] = r.lines[i].net;
            out["lines"][i]["discount_share"] = r.lines[i].discount_share;
            out["lines"][i]["explain"] = r.lines[i].explanation;
        }
    if (r.dry_run) out["dry_run"] = true;
    else out["platform"] = platform_json(platform);
    return out;
}

Json coupon_issue_json(int64_t coupon_issue_id, int64_t coupon_id, int64_t member_id) {
    return {{"coupon_issue_id", coupon_issue_id}, {"coupon_id", coupon_id}, {"member_id", member_id}, {"status", "ISSUED"}};
}

}  // namespace shopctl::service
