// Store: everything shopctl keeps, behind one narrow interface of whole operations,
// each one transaction. The checkout reads its snapshot and applies core's decision
// inside the operation, so another backend (a server database, say) implements this
// interface and core/ stays as it is. Every method reports failure as an Error:
// STORE_BUSY when the write lock was not had in time, STORE_ERROR for the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/cart.h"
#include "core/fixture.h"
#include "core/order_return.h"
#include "core/receipt.h"
#include "core/result.h"
#include "core/timestamp.h"

namespace shopctl::db {

enum class CheckoutMode { Order, Quote };

// A sender's hold on outbox rows while it pushes them: only the holder of `token` may
// mark a row sent or failed, and the hold ends at `until` by the real clock (never
// --now), set to cover the pushes it was taken for.
struct OutboxLease {
    std::string token;
    UnixSeconds until = 0;
};

struct CheckoutResult {
    Receipt receipt;
    std::optional<int64_t> outbox_id;  // the order.paid row to push (none for quotes and replays)
};

// A return (or a cancel: everything left at once), as decided and applied.
struct ReturnResult {
    int64_t order_id = 0;
    int64_t member_id = 0;
    std::string status;        // the order's status after
    int64_t return_no = 0;     // n of this order.returned event; 0 for a cancel
    std::vector<ReturnedLine> lines;
    Won refunded = 0;          // points given back this time
    Won balance_after = 0;
    std::vector<int64_t> coupons_restored;
    std::vector<int64_t> coupons_kept_used;  // expired since: they stay USED
    std::optional<int64_t> outbox_id;        // none for a dry run
    std::string at;
    bool dry_run = false;
    Json payload;              // the outbox event
};
using CancelResult = ReturnResult;

struct ProductFilter {
    std::optional<std::string> status;  // ON_SALE or SALE_ENDED
    int64_t after_id = 0;               // id > after_id: the next page
    int64_t limit = 100;
};

// A page of a member's point history: the newest `limit` entries with id < before_id.
struct HistoryPage {
    std::optional<int64_t> before_id;
    int64_t limit = 100;
};

// A page of a member's coupon issues, by id: those with id > after_id, at most `limit`.
struct CouponPage {
    int64_t after_id = 0;
    int64_t limit = 100;
};

struct OutboxFilter {
    std::optional<std::string> status;  // PENDING, SENT or DEAD
    int64_t after_id = 0;               // id > after_id: the next page
    int64_t limit = 100;
};

struct OrderFilter {
    std::optional<int64_t> member_id;
    std::optional<std::string> since;  // created_at >= since
    std::optional<std::string> until;  // created_at < until
    std::optional<std::string> status;
    std::optional<std::string> idempotency_key;
    std::optional<int64_t> before_id;  // id < before_id: the next page
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

// One line item of an order, with its order's fields: a row of `orders export`.
struct OrderLineRow {
    int64_t order_id = 0;
    std::string created_at;
    int64_t member_id = 0;
    std::string status;
    Won order_total = 0;
    int64_t line_no = 0;
    int64_t product_id = 0;
    std::string name;
    int64_t quantity = 0;
    Won unit_price = 0;
    Won line_total = 0;
    std::optional<int64_t> coupon_issue_id;
    Won discount = 0;
    Won amount = 0;
    int64_t returned_quantity = 0;
    Won refunded = 0;
};

struct PointEntry {
    int64_t id = 0;
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
    std::vector<PointEntry> history;  // newest first, as the page asked
};

// One entry of a bulk `points charge --from` / `coupons issue --from`, with the input
// line it came from, which an error names.
struct PointCharge {
    int64_t line = 0;
    int64_t member_id = 0;
    Won amount = 0;
};
struct ChargeResult {
    int64_t member_id = 0;
    Won amount = 0;
    Won balance = 0;  // after this entry
};
struct CouponGrant {
    int64_t line = 0;
    int64_t member_id = 0;
    int64_t coupon_id = 0;
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

// What `products set` changes; nullopt: left as it is.
struct ProductChange {
    std::optional<Won> price;
    std::optional<bool> on_sale;
    std::optional<std::string> name;
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
    int64_t event_no = 0;  // n of an order.returned event
};

// What one push did, to be recorded on its outbox row.
struct DeliveryOutcome {
    int64_t outbox_id = 0;
    bool delivered = false;
    std::string error;   // when not delivered
    double jitter = 0;   // in [0, 1): where in its backoff window the next attempt falls
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

    // Before a long bulk run (batch): whatever makes many transactions cheaper on
    // this backend, with the same durability. Nothing by default.
    virtual Status tune_for_bulk() { return ok_status(); }

    // SPEC.md section 4 in one transaction (or, inside a group, one savepoint).
    // `lease` holds the new outbox row for this process, so a concurrent
    // `outbox flush` leaves it to the push that follows the commit.
    virtual Result<CheckoutResult> checkout(const Cart& cart, UnixSeconds now, CheckoutMode mode,
                                            const std::optional<OutboxLease>& lease) = 0;

    // Group commit for batches: checkouts between begin_group and commit_group share
    // one transaction, each in its own savepoint.
    virtual Status begin_group() = 0;
    virtual Status commit_group() = 0;
    virtual Status rollback_group() = 0;
    // True (once) when the last checkout inside the group was not done because the
    // group holds locks: it needed a row another transaction holds (a server store never
    // waits for one while holding the group's), or a deadlock was found. Nothing of that
    // cart was written; the caller commits the group so far and runs the cart again
    // first in a new group.
    virtual bool take_group_conflict() { return false; }
    // Inside a group, before a checkout: the cart the group will check out after it (or
    // none). A server store sends that cart's row locks and reads with this one's
    // writes, one round trip for both; its checkout then finds them answered (and reads
    // again, under a lock it waits for, if another writer held one of its rows).
    virtual void announce_next_cart(const Cart* /*next*/) {}

    // SPEC.md section 11 in one transaction: gives back `requests` of the order (with
    // `cancel`, everything left, status CANCELLED). A dry run decides and rolls back.
    virtual Result<ReturnResult> return_order(int64_t order_id, const std::vector<ReturnRequest>& requests, bool cancel,
                                              UnixSeconds now, const std::optional<OutboxLease>& lease,
                                              bool dry_run) = 0;
    virtual Result<Receipt> order_receipt(int64_t order_id) = 0;
    virtual Result<std::vector<OrderSummary>> list_orders(const OrderFilter& filter) = 0;
    // Every line item of the orders the filter selects (its before_id and limit aside),
    // oldest order first, in line order, handed to `each` from one consistent read;
    // memory stays bounded however many there are.
    virtual Status export_order_lines(const OrderFilter& filter, const std::function<void(const OrderLineRow&)>& each) = 0;

    virtual Result<MemberPoints> charge_points(int64_t member_id, Won amount, UnixSeconds now) = 0;
    virtual Result<MemberPoints> member_points(int64_t member_id, const HistoryPage& page) = 0;
    virtual Result<int64_t> issue_coupon(int64_t member_id, int64_t coupon_id) = 0;
    // All of them or none, in one transaction, in input order; an error names the line.
    virtual Result<std::vector<ChargeResult>> charge_points_many(const std::vector<PointCharge>& charges,
                                                                 UnixSeconds now) = 0;
    // The new coupon_issue ids, in input order.
    virtual Result<std::vector<int64_t>> issue_coupons_many(const std::vector<CouponGrant>& grants) = 0;
    virtual Result<std::vector<MemberCoupon>> member_coupons(int64_t member_id, const CouponPage& page) = 0;
    // By id: products with id > after_id (the next page), at most `limit`.
    virtual Result<std::vector<ProductRow>> list_products(const ProductFilter& filter) = 0;
    // Live catalog changes (SPEC.md section 11), each one short transaction.
    // PRODUCT_NOT_FOUND for an unknown product.
    virtual Result<ProductRow> set_product(int64_t product_id, const ProductChange& change) = 0;
    // A relative change: OUT_OF_STOCK below zero, INVALID_INPUT past 10^15; nothing changes then.
    virtual Result<ProductRow> add_stock(int64_t product_id, int64_t delta) = 0;

    // The outbox (SPEC.md section 7).
    // Oldest first: rows with id > after_id (the next page), at most `limit`.
    virtual Result<std::vector<OutboxRow>> list_outbox(const OutboxFilter& filter) = 0;
    // Claims for `lease` up to `limit` PENDING rows with id > after_id, due at `now`
    // (all PENDING rows with `ignore_schedule`), oldest first, that no live lease holds
    // at `real_now`.
    virtual Result<std::vector<OutboxRow>> claim_outbox(UnixSeconds now, bool ignore_schedule, int64_t after_id,
                                                        int64_t limit, const OutboxLease& lease, UnixSeconds real_now) = 0;
    // Claims for `lease` those of `ids` that are PENDING and held by no live lease.
    virtual Result<std::vector<OutboxRow>> claim_outbox_rows(const std::vector<int64_t>& ids, const OutboxLease& lease,
                                                             UnixSeconds real_now) = 0;
    // Lets go of the PENDING rows `token` holds (a sender whose lease ran short).
    virtual Status release_outbox(const std::string& token) = 0;
    // Records pushes made under `token`, all in one transaction (one sync for a flush's
    // claimed rows): SENT, or one more failed attempt (PENDING with a later
    // next_attempt_at, or DEAD after the last allowed attempt). A row whose lease was
    // lost is another sender's now and is left alone.
    virtual Status record_deliveries(const std::vector<DeliveryOutcome>& outcomes, UnixSeconds now,
                                     const std::string& token) = 0;
    virtual Result<OutboxRow> retry_outbox(int64_t outbox_id, UnixSeconds now) = 0;
    // Every DEAD row requeued as retry_outbox does, in one transaction; the rows after.
    virtual Result<std::vector<OutboxRow>> retry_dead_outbox(UnixSeconds now) = 0;
    virtual Result<OutboxRow> outbox_row(int64_t outbox_id) = 0;

    virtual Result<std::vector<Violation>> verify() = 0;

    // State read by scenario expectations: a JSON object of stock, points,
    // coupon_issues, orders and outbox counts.
    virtual Result<Json> state_summary() = 0;
};

}  // namespace shopctl::db
