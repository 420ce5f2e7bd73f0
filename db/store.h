// Store: everything shopctl keeps, behind one narrow interface of whole operations,
// each one transaction. The checkout reads its snapshot and applies core's decision
// inside the operation, so another backend (PostgreSQL, say) implements this
// interface and core/ stays as it is. Every method reports failure as an Error:
// STORE_BUSY when the write lock was not had in time, STORE_ERROR for the rest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cart.h"
#include "core/fixture.h"
#include "core/receipt.h"
#include "core/result.h"
#include "core/timestamp.h"

namespace shopctl::db {

enum class CheckoutMode { Order, Quote };

struct CheckoutResult {
    Receipt receipt;
    std::optional<int64_t> outbox_id;  // the order.paid row to push (none for quotes and replays)
};

struct CancelResult {
    int64_t order_id = 0;
    int64_t member_id = 0;
    Won refunded = 0;
    Won balance_after = 0;
    std::vector<int64_t> coupons_restored;
    std::vector<int64_t> coupons_kept_used;  // expired since: they stay USED
    int64_t outbox_id = 0;
    std::string cancelled_at;
    Json payload;
};

struct OrderFilter {
    std::optional<int64_t> member_id;
    std::optional<std::string> since;  // created_at >= since
    std::optional<std::string> status;
    int64_t limit = 100;
};

struct OrderSummary {
    int64_t id = 0;
    int64_t member_id = 0;
    std::string status;
    Won total = 0;
    int64_t items = 0;
    std::string created_at;
};

struct PointEntry {
    std::optional<int64_t> order_id;
    Won delta = 0;
    Won balance_after = 0;
    std::string reason;
    std::string created_at;
};

struct MemberPoints {
    int64_t member_id = 0;
    std::string name;
    Won balance = 0;
    std::vector<PointEntry> history;
};

struct MemberCoupon {
    IssuedCoupon issue;
    std::optional<int64_t> used_order_id;
    std::optional<std::string> used_at;
};

struct ProductRow {
    int64_t id = 0;
    std::string name;
    Won price = 0;
    int64_t stock = 0;
    std::string status;
};

struct OutboxRow {
    int64_t id = 0;
    int64_t order_id = 0;
    std::string event;
    std::string payload;
    std::string status;
    int64_t attempts = 0;
    std::optional<std::string> last_error;
    std::optional<std::string> next_attempt_at;
    std::optional<std::string> sent_at;
    std::string created_at;
};

struct Violation {
    std::string check;    // stable name, e.g. "balance_matches_history"
    std::string message;  // what is wrong, naming the rows
};

struct LoadCounts {
    int64_t members = 0, products = 0, coupons = 0, coupon_issues = 0;
};

class Store {
public:
    virtual ~Store() = default;

    virtual Result<LoadCounts> load_fixture(const Fixture& fixture, UnixSeconds now) = 0;

    // SPEC.md section 4 in one transaction (or, inside a group, one savepoint).
    // `claim_outbox` marks the new outbox row as held by this process, so a
    // concurrent `outbox flush` leaves it to the push that follows the commit.
    virtual Result<CheckoutResult> checkout(const Cart& cart, UnixSeconds now, CheckoutMode mode,
                                            bool claim_outbox) = 0;

    // Group commit for batches: checkouts between begin_group and commit_group share
    // one transaction, each in its own savepoint.
    virtual Status begin_group() = 0;
    virtual Status commit_group() = 0;
    virtual Status rollback_group() = 0;

    virtual Result<CancelResult> cancel_order(int64_t order_id, UnixSeconds now, bool claim_outbox) = 0;
    virtual Result<Receipt> order_receipt(int64_t order_id) = 0;
    virtual Result<std::vector<OrderSummary>> list_orders(const OrderFilter& filter) = 0;

    virtual Result<MemberPoints> charge_points(int64_t member_id, Won amount, UnixSeconds now) = 0;
    virtual Result<MemberPoints> member_points(int64_t member_id) = 0;
    virtual Result<int64_t> issue_coupon(int64_t member_id, int64_t coupon_id) = 0;
    virtual Result<std::vector<MemberCoupon>> member_coupons(int64_t member_id) = 0;
    virtual Result<std::vector<ProductRow>> list_products() = 0;

    // The outbox (SPEC.md section 7).
    virtual Result<std::vector<OutboxRow>> list_outbox(const std::optional<std::string>& status) = 0;
    // Claims up to `limit` PENDING rows with id > after_id, due at `now` (all
    // PENDING rows with `ignore_schedule`), oldest first, that no other sender holds.
    virtual Result<std::vector<OutboxRow>> claim_outbox(UnixSeconds now, bool ignore_schedule, int64_t after_id, int64_t limit) = 0;
    virtual Status mark_outbox_sent(int64_t outbox_id, UnixSeconds now) = 0;
    // One more failed attempt: PENDING with a later next_attempt_at, or DEAD after
    // the last allowed attempt. Returns the row as it now is.
    virtual Result<OutboxRow> mark_outbox_failed(int64_t outbox_id, const std::string& error, UnixSeconds now,
                                                 double jitter) = 0;
    virtual Result<OutboxRow> retry_outbox(int64_t outbox_id, UnixSeconds now) = 0;
    virtual Result<OutboxRow> outbox_row(int64_t outbox_id) = 0;

    virtual Result<std::vector<Violation>> verify() = 0;

    // State read by scenario expectations: a JSON object of stock, points,
    // coupon_issues, orders and outbox counts.
    virtual Result<Json> state_summary() = 0;
};

}  // namespace shopctl::db
