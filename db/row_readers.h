// Small helpers to read nullable columns and to turn coupon rows into core values.
#pragma once

#include <optional>
#include <string>

#include "db/sql/statement.h"

#include "core/coupon.h"

namespace shopctl::db {

inline std::optional<int64_t> optional_int(sql::Statement& s, int column) {
    auto c = s.getColumn(column);
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}

inline std::optional<std::string> optional_text(sql::Statement& s, int column) {
    auto c = s.getColumn(column);
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

inline void bind_optional(sql::Statement& s, const char* name, const std::optional<int64_t>& v) {
    if (v) s.bind(name, *v); else s.bind(name);
}

inline void bind_optional(sql::Statement& s, const char* name, const std::optional<std::string>& v) {
    if (v) s.bind(name, *v); else s.bind(name);
}

inline std::optional<std::string> optional_timestamp_text(const std::optional<UnixSeconds>& t) {
    if (!t) return std::nullopt;
    return format_timestamp(*t);
}

// Reads an issued coupon from columns starting at `first`, in the order of
// kIssuedCouponColumns.
#define SHOPCTL_ISSUED_COUPON_COLUMNS                                                                       \
    "ci.id, ci.status, c.id, c.name, c.scope, c.product_id, c.discount_type, c.discount_value, "          \
    "c.max_discount, c.min_order_amount, c.valid_from, c.valid_until"

inline IssuedCoupon read_issued_coupon(sql::Statement& s, int first = 0) {
    IssuedCoupon ic;
    ic.issue_id = s.getColumn(first).getInt64();
    ic.used = s.getColumn(first + 1).getString() == "USED";
    Coupon& c = ic.coupon;
    c.id = s.getColumn(first + 2).getInt64();
    c.name = s.getColumn(first + 3).getString();
    c.scope = s.getColumn(first + 4).getString() == "PRODUCT" ? CouponScope::Product : CouponScope::Order;
    c.product_id = optional_int(s, first + 5);
    c.discount_type = s.getColumn(first + 6).getString() == "PERCENT" ? DiscountType::Percent : DiscountType::Fixed;
    c.discount_value = s.getColumn(first + 7).getInt64();
    c.max_discount = optional_int(s, first + 8);
    c.min_order_amount = s.getColumn(first + 9).getInt64();
    if (auto t = optional_text(s, first + 10)) c.valid_from = parse_timestamp(*t);
    if (auto t = optional_text(s, first + 11)) c.valid_until = parse_timestamp(*t);
    return ic;
}

}  // namespace shopctl::db
