// Loading a fixture, and the small back-office writes: points and coupon issues.
#include <algorithm>
#include <limits>

#include "db/row_readers.h"
#include "db/sql_store.h"

namespace shopctl::db {

namespace {

bool row_exists(sql::Statement& s, int64_t id) {
    s.bind(":id", id);
    const bool found = s.executeStep();
    s.reset();
    return found;
}

}  // namespace

Result<LoadCounts> SqlStore::load_fixture(const Fixture& f, UnixSeconds now) {
    return run<LoadCounts>([&]() -> Result<LoadCounts> {
        WriteScope scope(*this);
        const std::string at = format_timestamp(now);
        for (const FixtureMember& m : f.members) {
            auto& upsert = prepared(
                "INSERT INTO member (id, name) VALUES (:id, :name) ON CONFLICT (id) DO UPDATE SET name = excluded.name");
            upsert.bind(":id", m.id);
            upsert.bind(":name", m.name);
            upsert.exec();
            auto& current = prepared("SELECT balance FROM point WHERE member_id = :id");
            current.bind(":id", m.id);
            const bool has_wallet = current.executeStep();
            const Won before = has_wallet ? current.getColumn(0).getInt64() : 0;
            current.reset();
            const Won after = m.points.value_or(before);
            auto& wallet = prepared(
                "INSERT INTO point (member_id, balance) VALUES (:id, :balance) "
                "ON CONFLICT (member_id) DO UPDATE SET balance = excluded.balance");
            wallet.bind(":id", m.id);
            wallet.bind(":balance", after);
            wallet.exec();
            // The difference is a charge, so every balance stays the sum of its history.
            if (after != before) add_point_history(m.id, std::nullopt, after - before, after, "CHARGE", at);
        }
        for (const FixtureProduct& p : f.products) {
            auto& product = prepared(
                "INSERT INTO product (id, name) VALUES (:id, :name) ON CONFLICT (id) DO UPDATE SET name = excluded.name");
            product.bind(":id", p.id);
            product.bind(":name", p.name);
            product.exec();
            auto& status = prepared(
                "INSERT INTO product_status (product_id, status) VALUES (:id, :status) "
                "ON CONFLICT (product_id) DO UPDATE SET status = excluded.status");
            status.bind(":id", p.id);
            status.bind(":status", p.on_sale ? "ON_SALE" : "SALE_ENDED");
            status.exec();
            auto& stock = prepared(
                "INSERT INTO stock (product_id, quantity) VALUES (:id, :qty) "
                "ON CONFLICT (product_id) DO UPDATE SET quantity = excluded.quantity");
            stock.bind(":id", p.id);
            stock.bind(":qty", p.stock);
            stock.exec();
            auto& price = prepared(
                "INSERT INTO price (product_id, amount) VALUES (:id, :amount) "
                "ON CONFLICT (product_id) DO UPDATE SET amount = excluded.amount");
            price.bind(":id", p.id);
            price.bind(":amount", p.price);
            price.exec();
        }
        for (size_t i = 0; i < f.coupons.size(); ++i) {
            const Coupon& c = f.coupons[i];
            if (c.product_id && !row_exists(prepared("SELECT 1 FROM product WHERE id = :id"), *c.product_id))
                return Error::InvalidFixture("coupons[" + std::to_string(i) + "].product_id",
                                             "product " + std::to_string(*c.product_id) + " does not exist");
            auto& coupon = prepared(
                "INSERT INTO coupon (id, name, scope, product_id, discount_type, discount_value, max_discount, "
                "min_order_amount, valid_from, valid_until) VALUES (:id, :name, :scope, :product, :type, :value, :max, "
                ":min, :from, :until) ON CONFLICT (id) DO UPDATE SET name = excluded.name, scope = excluded.scope, "
                "product_id = excluded.product_id, discount_type = excluded.discount_type, "
                "discount_value = excluded.discount_value, max_discount = excluded.max_discount, "
                "min_order_amount = excluded.min_order_amount, valid_from = excluded.valid_from, "
                "valid_until = excluded.valid_until");
            coupon.bind(":id", c.id);
            coupon.bind(":name", c.name);
            coupon.bind(":scope", scope_name(c.scope));
            bind_optional(coupon, ":product", c.product_id);
            coupon.bind(":type", discount_type_name(c.discount_type));
            coupon.bind(":value", c.discount_value);
            bind_optional(coupon, ":max", c.max_discount);
            coupon.bind(":min", c.min_order_amount);
            bind_optional(coupon, ":from", optional_timestamp_text(c.valid_from));
            bind_optional(coupon, ":until", optional_timestamp_text(c.valid_until));
            coupon.exec();
        }
        for (size_t i = 0; i < f.coupon_issues.size(); ++i) {
            const FixtureIssue& issue = f.coupon_issues[i];
            const std::string path = "coupon_issues[" + std::to_string(i) + "]";
            if (!row_exists(prepared("SELECT 1 FROM coupon WHERE id = :id"), issue.coupon_id))
                return Error::InvalidFixture(path + ".coupon_id",
                                             "coupon " + std::to_string(issue.coupon_id) + " does not exist");
            if (!row_exists(prepared("SELECT 1 FROM member WHERE id = :id"), issue.member_id))
                return Error::InvalidFixture(path + ".member_id",
                                             "member " + std::to_string(issue.member_id) + " does not exist");
            // load never undoes what an order did (SPEC.md section 11): a coupon issue an
            // order used stays as the order left it.
            auto& used = prepared(
                "SELECT used_order_id, coupon_id, member_id FROM coupon_issue WHERE id = :id AND status = 'USED' "
                "AND used_order_id IS NOT NULL");
            used.bind(":id", issue.id);
            if (used.executeStep() && (!issue.used || used.getColumn(1).getInt64() != issue.coupon_id ||
                                       used.getColumn(2).getInt64() != issue.member_id))
                return Error::InvalidFixture(
                    path, "coupon issue " + std::to_string(issue.id) + " was used by order " +
                              used.getColumn(0).getString() +
                              "; load never undoes what an order did (cancel or return the order to give it back)");
            auto& upsert = prepared(
                "INSERT INTO coupon_issue (id, coupon_id, member_id, status, used_order_id, used_at) "
                "VALUES (:id, :coupon, :member, :status, NULL, :used_at) ON CONFLICT (id) DO UPDATE SET "
                "coupon_id = excluded.coupon_id, member_id = excluded.member_id, status = excluded.status, "
                "used_order_id = CASE WHEN excluded.status = 'USED' THEN coupon_issue.used_order_id END, "
                "used_at = CASE WHEN excluded.status = 'USED' THEN COALESCE(coupon_issue.used_at, excluded.used_at) END");
            upsert.bind(":id", issue.id);
            upsert.bind(":coupon", issue.coupon_id);
            upsert.bind(":member", issue.member_id);
            upsert.bind(":status", issue.used ? "USED" : "ISSUED");
            bind_optional(upsert, ":used_at", issue.used ? std::optional<std::string>(at) : std::nullopt);
            upsert.exec();
        }
        conn_->after_explicit_ids();
        scope.commit();
        return LoadCounts{static_cast<int64_t>(f.members.size()), static_cast<int64_t>(f.products.size()),
                          static_cast<int64_t>(f.coupons.size()), static_cast<int64_t>(f.coupon_issues.size())};
    });
}

Result<Won> SqlStore::apply_charge(int64_t member_id, Won amount, const std::string& at) {
    auto member = find_member(member_id);
    if (!member) return Error::UnknownMember(member_id);
    auto after = checked_add(member->balance, amount);
    if (!after || *after > kMaxStoredAmount)
        return Error::InvalidInput("charging " + std::to_string(amount) + " points would take member " +
                                   std::to_string(member_id) + "'s balance past 10^15, the most the store keeps");
    auto& wallet = prepared(
        "INSERT INTO point (member_id, balance) VALUES (:id, :balance) "
        "ON CONFLICT (member_id) DO UPDATE SET balance = excluded.balance");
    wallet.bind(":id", member_id);
    wallet.bind(":balance", *after);
    wallet.exec();
    add_point_history(member_id, std::nullopt, amount, *after, "CHARGE", at);
    return *after;
}

Result<MemberPoints> SqlStore::charge_points(int64_t member_id, Won amount, UnixSeconds now) {
    auto charged = run<Ok>([&]() -> Status {
        WriteScope scope(*this);
        conn_->lock_rows(member_id, {});
        auto after = apply_charge(member_id, amount, format_timestamp(now));
        if (!after) return after.error();
        scope.commit();
        return Ok{};
    });
    if (!charged) return charged.error();
    return member_points(member_id, HistoryPage{std::nullopt, 0});  // the balance; no history
}

namespace {
// "line 3: member 99 does not exist", and the line in the error JSON.
Error at_line(Error e, int64_t line) {
    e.message = "line " + std::to_string(line) + ": " + e.message;
    e.details["line"] = line;
    return e;
}

// Every writer of a member's points locks its row first; several, in id order, so two
// bulk runs never wait on each other in a circle.
template <typename Entry>
std::vector<int64_t> members_in_id_order(const std::vector<Entry>& entries) {
    std::vector<int64_t> ids;
    for (const Entry& e : entries) ids.push_back(e.member_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}
}  // namespace

Result<std::vector<ChargeResult>> SqlStore::charge_points_many(const std::vector<PointCharge>& charges, UnixSeconds now) {
    return run<std::vector<ChargeResult>>([&]() -> Result<std::vector<ChargeResult>> {
        WriteScope scope(*this);
        for (int64_t id : members_in_id_order(charges)) conn_->lock_rows(id, {});
        const std::string at = format_timestamp(now);
        std::vector<ChargeResult> out;
        out.reserve(charges.size());
        for (const PointCharge& c : charges) {
            auto after = apply_charge(c.member_id, c.amount, at);
            if (!after) return at_line(after.error(), c.line);
            out.push_back({c.member_id, c.amount, *after});
        }
        scope.commit();
        return out;
    });
}

Result<MemberPoints> SqlStore::member_points(int64_t member_id, const HistoryPage& page) {
    return run<MemberPoints>([&]() -> Result<MemberPoints> {
        ReadScope scope(*this);
        auto member = find_member(member_id);
        if (!member) return Error::UnknownMember(member_id);
        MemberPoints mp{member->id, member->name, member->balance, {}};
        if (page.limit == 0) return mp;
        auto& h = prepared(
            "SELECT id, order_id, delta, balance_after, reason, created_at FROM point_history WHERE member_id = :id "
            "AND id < :before ORDER BY id DESC LIMIT :limit");
        h.bind(":id", member_id);
        h.bind(":before", page.before_id.value_or(std::numeric_limits<int64_t>::max()));
        h.bind(":limit", page.limit);
        while (h.executeStep())
            mp.history.push_back({h.getColumn(0).getInt64(), optional_int(h, 1), h.getColumn(2).getInt64(),
                                  h.getColumn(3).getInt64(), h.getColumn(4).getString(), h.getColumn(5).getString()});
        return mp;
    });
}

Result<int64_t> SqlStore::apply_issue(int64_t member_id, int64_t coupon_id) {
    if (!find_member(member_id)) return Error::UnknownMember(member_id);
    if (!row_exists(prepared("SELECT 1 FROM coupon WHERE id = :id"), coupon_id))
        return Error::InvalidInput("coupon " + std::to_string(coupon_id) + " does not exist");
    auto& insert = prepared("INSERT INTO coupon_issue (coupon_id, member_id, status) VALUES (:coupon, :member, 'ISSUED') RETURNING id");
    insert.bind(":coupon", coupon_id);
    insert.bind(":member", member_id);
    insert.executeStep();
    const int64_t id = insert.getColumn(0).getInt64();
    insert.reset();
    return id;
}

Result<int64_t> SqlStore::issue_coupon(int64_t member_id, int64_t coupon_id) {
    return run<int64_t>([&]() -> Result<int64_t> {
        WriteScope scope(*this);
        auto id = apply_issue(member_id, coupon_id);
        if (!id) return id.error();
        scope.commit();
        return *id;
    });
}

Result<std::vector<int64_t>> SqlStore::issue_coupons_many(const std::vector<CouponGrant>& grants) {
    return run<std::vector<int64_t>>([&]() -> Result<std::vector<int64_t>> {
        WriteScope scope(*this);
        // As a checkout's: a member's coupons change under the member's row lock.
        for (int64_t id : members_in_id_order(grants)) conn_->lock_rows(id, {});
        std::vector<int64_t> ids;
        ids.reserve(grants.size());
        for (const CouponGrant& g : grants) {
            auto id = apply_issue(g.member_id, g.coupon_id);
            if (!id) return at_line(id.error(), g.line);
            ids.push_back(*id);
        }
        scope.commit();
        return ids;
    });
}

Result<std::vector<MemberCoupon>> SqlStore::member_coupons(int64_t member_id, const CouponPage& page) {
    return run<std::vector<MemberCoupon>>([&]() -> Result<std::vector<MemberCoupon>> {
        ReadScope scope(*this);
        if (!find_member(member_id)) return Error::UnknownMember(member_id);
        auto& s = prepared("SELECT " SHOPCTL_ISSUED_COUPON_COLUMNS
                           ", ci.used_order_id, ci.used_at FROM coupon_issue ci JOIN coupon c ON c.id = ci.coupon_id "
                           "WHERE ci.member_id = :member AND ci.id > :after ORDER BY ci.id LIMIT :limit");
        s.bind(":member", member_id);
        s.bind(":after", page.after_id);
        s.bind(":limit", page.limit);
        std::vector<MemberCoupon> out;
        while (s.executeStep()) out.push_back({read_issued_coupon(s), optional_int(s, 12), optional_text(s, 13)});
        return out;
    });
}

// A product with its price, stock and status (a missing row reads as 0 / SALE_ENDED).
#define SHOPCTL_PRODUCT_ROWS                                                                                     \
    "SELECT p.id, p.name, COALESCE(pr.amount, 0), COALESCE(st.quantity, 0), COALESCE(s.status, 'SALE_ENDED') " \
    "FROM product p LEFT JOIN price pr ON pr.product_id = p.id LEFT JOIN stock st ON st.product_id = p.id "   \
    "LEFT JOIN product_status s ON s.product_id = p.id "

Result<std::vector<ProductRow>> SqlStore::list_products(const ProductFilter& filter) {
    return run<std::vector<ProductRow>>([&]() -> Result<std::vector<ProductRow>> {
        ReadScope scope(*this);
        auto& s = prepared(SHOPCTL_PRODUCT_ROWS
                           "WHERE p.id > :after AND (CAST(:status AS TEXT) IS NULL OR "
                           "COALESCE(s.status, 'SALE_ENDED') = :status) ORDER BY p.id LIMIT :limit");
        s.bind(":after", filter.after_id);
        bind_optional(s, ":status", filter.status);
        s.bind(":limit", filter.limit);
        std::vector<ProductRow> out;
        while (s.executeStep())
            out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(),
                           s.getColumn(3).getInt64(), s.getColumn(4).getString()});
        return out;
    });
}

Result<ProductRow> SqlStore::product_row(int64_t product_id) {
    auto& s = prepared(
        SHOPCTL_PRODUCT_ROWS "WHERE p.id = :id");
    s.bind(":id", product_id);
    if (!s.executeStep()) return Error::ProductNotFound(product_id);
    return ProductRow{s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(),
                      s.getColumn(3).getInt64(), s.getColumn(4).getString()};
}

Result<ProductRow> SqlStore::set_product(int64_t product_id, const ProductChange& change) {
    return run<ProductRow>([&]() -> Result<ProductRow> {
        WriteScope scope(*this);
        conn_->lock_rows(std::nullopt, {product_id});
        if (auto exists = product_row(product_id); !exists) return exists.error();
        if (change.name) {
            auto& s = prepared("UPDATE product SET name = :name WHERE id = :id");
            s.bind(":name", *change.name);
            s.bind(":id", product_id);
            s.exec();
        }
        if (change.price) {
            auto& s = prepared(
                "INSERT INTO price (product_id, amount) VALUES (:id, :amount) "
                "ON CONFLICT (product_id) DO UPDATE SET amount = excluded.amount");
            s.bind(":id", product_id);
            s.bind(":amount", *change.price);
            s.exec();
        }
        if (change.on_sale) {
            auto& s = prepared(
                "INSERT INTO product_status (product_id, status) VALUES (:id, :status) "
                "ON CONFLICT (product_id) DO UPDATE SET status = excluded.status");
            s.bind(":id", product_id);
            s.bind(":status", *change.on_sale ? "ON_SALE" : "SALE_ENDED");
            s.exec();
        }
        auto row = product_row(product_id);
        if (!row) return row.error();
        scope.commit();
        return row;
    });
}

Result<ProductRow> SqlStore::add_stock(int64_t product_id, int64_t delta) {
    return run<ProductRow>([&]() -> Result<ProductRow> {
        WriteScope scope(*this);
        conn_->lock_rows(std::nullopt, {product_id});
        auto before = product_row(product_id);
        if (!before) return before.error();
        if (delta < 0 && before->stock + delta < 0) return Error::OutOfStock(product_id, -delta, before->stock);
        // Relative, in one statement: a checkout committing meanwhile is never overwritten.
        auto& ensure = prepared("INSERT INTO stock (product_id, quantity) VALUES (:id, 0) ON CONFLICT DO NOTHING");
        ensure.bind(":id", product_id);
        ensure.exec();
        auto& s = prepared(
            "UPDATE stock SET quantity = quantity + :delta WHERE product_id = :id "
            "AND quantity + :delta BETWEEN 0 AND :max RETURNING quantity");
        s.bind(":id", product_id);
        s.bind(":delta", delta);
        s.bind(":max", kMaxStoredAmount);
        const bool changed = s.executeStep();
        s.reset();
        if (!changed) {
            auto now = product_row(product_id);
            const int64_t stock = now ? now->stock : 0;
            if (delta < 0) return Error::OutOfStock(product_id, -delta, stock);
            return Error::InvalidInput("adding " + std::to_string(delta) + " to product " + std::to_string(product_id) +
                                       "'s stock of " + std::to_string(stock) +
                                       " would pass 10^15, the most the store keeps");
        }
        auto row = product_row(product_id);
        if (!row) return row.error();
        scope.commit();
        return row;
    });
}

}  // namespace shopctl::db
