// verify: the store's invariants (SPEC.md section 8), each one query that lists the
// rows breaking it. state_summary: what scenario expectations compare against.
#include "db/sql_store.h"

namespace shopctl::db {

namespace {

struct Check {
    const char* name;
    const char* sql;  // each row: one violation, described by its single text column
};

constexpr Check kChecks[] = {
    {"stock_not_negative",
     "SELECT 'product ' || product_id || ' has stock ' || quantity FROM stock WHERE quantity < 0"},
    {"balance_not_negative",
     "SELECT 'member ' || member_id || ' has balance ' || balance FROM point WHERE balance < 0"},
    {"balance_matches_history",
     "SELECT 'member ' || p.member_id || ' has balance ' || p.balance || ' but its point_history sums to ' || "
     "COALESCE(h.total, 0) FROM point p LEFT JOIN (SELECT member_id, sum(delta) AS total FROM point_history "
     "GROUP BY member_id) h ON h.member_id = p.member_id WHERE p.balance <> COALESCE(h.total, 0)"},
    {"history_has_wallet",
     "SELECT 'member ' || h.member_id || ' has point_history but no point row' FROM point_history h "
     "WHERE NOT EXISTS (SELECT 1 FROM point p WHERE p.member_id = h.member_id) GROUP BY h.member_id"},
    {"used_coupon_names_order",
     "SELECT 'coupon_issue ' || id || ' is USED by order ' || used_order_id || ', which does not exist' "
     "FROM coupon_issue WHERE status = 'USED' AND used_order_id IS NOT NULL "
     "AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = used_order_id)"},
    {"issued_coupon_has_no_order",
     "SELECT 'coupon_issue ' || id || ' is ISSUED but names order ' || used_order_id FROM coupon_issue "
     "WHERE status = 'ISSUED' AND used_order_id IS NOT NULL"},
    {"coupon_held_by_live_order",
     "SELECT 'coupon_issue ' || ci.id || ' is ' || ci.status || COALESCE(' for order ' || ci.used_order_id, '') || "
     "' but order ' || h.order_id || ' still holds it' FROM coupon_issue ci JOIN ("
     "SELECT i.order_id, i.coupon_issue_id AS issue FROM order_item i WHERE i.coupon_issue_id IS NOT NULL "
     "AND i.returned_quantity < i.quantity "
     "UNION SELECT o.id, o.order_coupon_issue_id FROM orders o WHERE o.order_coupon_issue_id IS NOT NULL "
     "AND o.status <> 'RETURNED' AND o.status <> 'CANCELLED') h ON h.issue = ci.id "
     "WHERE ci.status <> 'USED' OR ci.used_order_id IS DISTINCT FROM h.order_id"},
    {"order_has_items",
     "SELECT 'order ' || id || ' has no items' FROM orders o "
     "WHERE NOT EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.id)"},
    {"order_has_paid_event",
     "SELECT 'order ' || id || ' has no order.paid outbox row' FROM orders o WHERE NOT EXISTS "
     "(SELECT 1 FROM platform_outbox b WHERE b.order_id = o.id AND b.event = 'order.paid')"},
    {"cancelled_order_has_cancel_event",
     "SELECT 'order ' || id || ' is CANCELLED but has no order.cancelled outbox row' FROM orders o "
     "WHERE status = 'CANCELLED' AND NOT EXISTS "
     "(SELECT 1 FROM platform_outbox b WHERE b.order_id = o.id AND b.event = 'order.cancelled')"},
    {"paid_order_has_no_cancel_event",
     "SELECT 'order ' || order_id || ' is PAID but has an order.cancelled outbox row' FROM platform_outbox b "
     "JOIN orders o ON o.id = b.order_id WHERE b.event = 'order.cancelled' AND o.status = 'PAID'"},
    {"item_amounts_add_up",
     "SELECT 'order ' || order_id || ' line ' || line_no || ': ' || unit_price || ' x ' || quantity || ' = ' || "
     "line_total || ', amount ' || amount || ', discount ' || discount FROM order_item "
     "WHERE line_total <> unit_price * quantity OR amount <> line_total - discount OR discount < 0 "
     "OR discount > line_total"},
    {"order_totals_add_up",
     "SELECT 'order ' || o.id || ': subtotal ' || o.subtotal || ', product_discount ' || o.product_discount || "
     "', order_discount ' || o.order_discount || ', total ' || o.total || ' do not add up with its items' "
     "FROM orders o LEFT JOIN (SELECT order_id, sum(line_total) AS lines, sum(discount) AS discounts FROM order_item "
     "GROUP BY order_id) i ON i.order_id = o.id WHERE o.subtotal <> COALESCE(i.lines, 0) "
     "OR o.product_discount <> COALESCE(i.discounts, 0) "
     "OR o.total <> o.subtotal - o.product_discount - o.order_discount OR o.total < 0 OR o.order_discount < 0"},
    {"order_points_used",
     "SELECT 'order ' || o.id || ' total ' || o.total || ' but its USE history is ' || COALESCE(CAST(h.used AS TEXT), 'missing') "
     "FROM orders o LEFT JOIN (SELECT order_id, sum(delta) AS used FROM point_history WHERE reason = 'USE' "
     "GROUP BY order_id) h ON h.order_id = o.id WHERE COALESCE(h.used, 1) <> -o.total"},
    {"cancelled_order_refunded",
     "SELECT 'order ' || o.id || ' is ' || o.status || ' but its REFUND history is not ' || o.total FROM orders o "
     "LEFT JOIN (SELECT order_id, sum(delta) AS refunded FROM point_history WHERE reason = 'REFUND' "
     "GROUP BY order_id) h ON h.order_id = o.id WHERE (o.status = 'CANCELLED' OR o.status = 'RETURNED') "
     "AND COALESCE(h.refunded, -1) <> o.total"},
    {"refunds_match_history",
     "SELECT 'order ' || o.id || ' has refunded ' || o.refunded || ' but its REFUND history sums to ' || "
     "COALESCE(h.refunded, 0) FROM orders o LEFT JOIN (SELECT order_id, sum(delta) AS refunded FROM point_history "
     "WHERE reason = 'REFUND' GROUP BY order_id) h ON h.order_id = o.id WHERE o.refunded <> COALESCE(h.refunded, 0)"},
    {"refund_within_paid",
     "SELECT 'order ' || o.id || ' refunded ' || o.refunded || ' of a total of ' || o.total || "
     "', its lines ' || COALESCE(i.refunded, 0) FROM orders o LEFT JOIN (SELECT order_id, sum(refunded) AS refunded "
     "FROM order_item GROUP BY order_id) i ON i.order_id = o.id "
     "WHERE o.refunded < 0 OR o.refunded > o.total OR o.refunded <> COALESCE(i.refunded, 0)"},
    {"line_return_within_order",
     "SELECT 'order ' || order_id || ' line ' || line_no || ': returned ' || returned_quantity || ' of ' || "
     "quantity || ', refunded ' || refunded || ' of an amount of ' || amount FROM order_item "
     "WHERE returned_quantity < 0 OR returned_quantity > quantity OR refunded < 0 OR refunded > amount "
     "OR (returned_quantity = 0 AND refunded <> 0)"},
    {"return_status_matches_lines",
     "SELECT 'order ' || o.id || ' is ' || o.status || ' but ' || i.returned || ' of its ' || i.ordered || "
     "' units are back' FROM orders o JOIN (SELECT order_id, sum(quantity) AS ordered, sum(returned_quantity) AS "
     "returned FROM order_item GROUP BY order_id) i ON i.order_id = o.id WHERE "
     "(o.status = 'PAID' AND i.returned <> 0) OR ((o.status = 'RETURNED' OR o.status = 'CANCELLED') AND "
     "i.returned <> i.ordered) OR (o.status = 'PARTIALLY_RETURNED' AND (i.returned = 0 OR i.returned = i.ordered))"},
    {"returned_order_has_return_events",
     "SELECT 'order ' || o.id || ' counts ' || o.returns || ' returns but has ' || COALESCE(b.events, 0) || "
     "' order.returned outbox rows' FROM orders o LEFT JOIN (SELECT order_id, count(*) AS events FROM platform_outbox "
     "WHERE event = 'order.returned' GROUP BY order_id) b ON b.order_id = o.id WHERE o.returns <> COALESCE(b.events, 0)"},
    {"outbox_known_status",
     "SELECT 'outbox row ' || id || ' has attempts ' || attempts FROM platform_outbox WHERE attempts < 0"},
};

}  // namespace

Result<std::vector<Violation>> SqlStore::verify() {
    return run<std::vector<Violation>>([&]() -> Result<std::vector<Violation>> {
        std::vector<Violation> out;
        ReadScope scope(*this);
        for (auto& [check, message] : conn_->integrity_problems()) out.push_back({check, message});
        for (const Check& check : kChecks) {
            auto s = conn_->prepare(check.sql);
            while (s->executeStep()) out.push_back({check.name, s->getColumn(0).getString()});
        }
        return out;
    });
}

Result<Json> SqlStore::state_summary() {
    return run<Json>([&]() -> Result<Json> {
        ReadScope scope(*this);
        Json j;
        auto map_of = [&](const char* sql, bool text_value) {
            Json m = Json::object();
            auto s = conn_->prepare(sql);
            while (s->executeStep()) {
                if (text_value) m[s->getColumn(0).getString()] = s->getColumn(1).getString();
                else m[s->getColumn(0).getString()] = s->getColumn(1).getInt64();
            }
            return m;
        };
        j["stock"] = map_of("SELECT CAST(product_id AS TEXT), quantity FROM stock ORDER BY product_id", false);
        j["points"] = map_of("SELECT CAST(member_id AS TEXT), balance FROM point ORDER BY member_id", false);
        j["coupon_issues"] = map_of("SELECT CAST(id AS TEXT), status FROM coupon_issue ORDER BY id", true);
        j["product_status"] = map_of("SELECT CAST(product_id AS TEXT), status FROM product_status ORDER BY product_id", true);
        j["order_status"] = map_of("SELECT CAST(id AS TEXT), status FROM orders ORDER BY id", true);
        auto count = [&](const char* sql) {
            auto s = conn_->prepare(sql);
            s->executeStep();
            return s->getColumn(0).getInt64();
        };
        j["orders"] = count("SELECT count(*) FROM orders");
        Json outbox = {{"PENDING", 0}, {"SENT", 0}, {"DEAD", 0}};
        auto s = conn_->prepare("SELECT status, count(*) FROM platform_outbox GROUP BY status");
        while (s->executeStep()) outbox[s->getColumn(0).getString()] = s->getColumn(1).getInt64();
        outbox["total"] = count("SELECT count(*) FROM platform_outbox");
        j["outbox"] = outbox;
        return j;
    });
}

}  // namespace shopctl::db
