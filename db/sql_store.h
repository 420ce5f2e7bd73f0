// SqlStore: the Store written once in SQL over a backend's sql::Connection (SQLite,
// PostgreSQL). Every statement is prepared once on the connection and bound by name,
// so a batch of thousands of checkouts prepares nothing twice. The backend supplies
// how transactions begin and how rows are locked; everything else is here.
#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <unordered_map>

#include "db/guarded.h"
#include "db/sql/connection.h"
#include "db/store.h"

namespace shopctl::db {

class SqlStore final : public Store {
public:
    explicit SqlStore(std::unique_ptr<sql::Connection> connection);
    ~SqlStore() override;

    Result<LoadCounts> load_fixture(const Fixture& fixture, UnixSeconds now) override;
    Result<CheckoutResult> checkout(const Cart& cart, UnixSeconds now, CheckoutMode mode,
                                    const std::optional<OutboxLease>& lease) override;
    Status begin_group() override;
    Status commit_group() override;
    Status rollback_group() override;
    bool take_group_conflict() override { return std::exchange(group_conflict_, false); }
    void announce_next_cart(const Cart* next) override {
        next_cart_ = in_group_ && conn_->pipelines() ? next : nullptr;
    }
    Result<ReturnResult> return_order(int64_t order_id, const std::vector<ReturnRequest>& requests, bool cancel,
                                      UnixSeconds now, const std::optional<OutboxLease>& lease, bool dry_run) override;
    Result<Receipt> order_receipt(int64_t order_id) override;
    Result<std::vector<OrderSummary>> list_orders(const OrderFilter& filter) override;
    Status export_order_lines(const OrderFilter& filter, const std::function<void(const OrderLineRow&)>& each) override;
    Result<MemberPoints> charge_points(int64_t member_id, Won amount, UnixSeconds now) override;
    Result<MemberPoints> member_points(int64_t member_id, const HistoryPage& page) override;
    Result<int64_t> issue_coupon(int64_t member_id, int64_t coupon_id) override;
    Result<std::vector<ChargeResult>> charge_points_many(const std::vector<PointCharge>& charges, UnixSeconds now) override;
    Result<std::vector<int64_t>> issue_coupons_many(const std::vector<CouponGrant>& grants) override;
    Result<std::vector<MemberCoupon>> member_coupons(int64_t member_id, const CouponPage& page) override;
    Result<std::vector<ProductRow>> list_products(const ProductFilter& filter) override;
    Result<ProductRow> set_product(int64_t product_id, const ProductChange& change) override;
    Result<ProductRow> add_stock(int64_t product_id, int64_t delta) override;
    Result<std::vector<OutboxRow>> list_outbox(const OutboxFilter& filter) override;
    Result<std::vector<OutboxRow>> claim_outbox(UnixSeconds now, bool ignore_schedule, int64_t after_id, int64_t limit,
                                                const OutboxLease& lease, UnixSeconds real_now) override;
    Result<std::vector<OutboxRow>> claim_outbox_rows(const std::vector<int64_t>& ids, const OutboxLease& lease,
                                                     UnixSeconds real_now) override;
    Status release_outbox(const std::string& token) override;
    Status record_deliveries(const std::vector<DeliveryOutcome>& outcomes, UnixSeconds now,
                             const std::string& token) override;
    Result<OutboxRow> retry_outbox(int64_t outbox_id, UnixSeconds now) override;
    Result<std::vector<OutboxRow>> retry_dead_outbox(UnixSeconds now) override;
    Result<OutboxRow> outbox_row(int64_t outbox_id) override;
    Result<std::vector<Violation>> verify() override;
    Result<Json> state_summary() override;

    Status tune_for_bulk() override;

private:
    friend class WriteScope;
    friend class ReadScope;

    // The statement for `sql` (a string literal: its address is the cache key),
    // reset and with its bindings cleared.
    sql::Statement& prepared(const char* sql);
    // guarded() and then every cached statement reset, so no finished operation
    // leaves a read transaction open on the connection. A race the backend lost
    // (a server's deadlock or serialization failure) runs `body` again, as long as
    // the busy timeout allows; `body` opens its own scope, so each run starts clean.
    template <typename T, typename Body>
    Result<T> run(Body&& body) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(conn_->busy_timeout_ms());
        for (int attempt = 1;; ++attempt) {
            try {
                Result<T> result = body();
                reset_statements();
                return result;
            } catch (const sql::Failure& f) {
                reset_statements();
                // Inside a group the earlier carts' locks are still held: running this
                // cart again could meet the same wait. The caller commits and starts afresh.
                if (in_group_ && (f.kind == sql::FailureKind::Retry || f.kind == sql::FailureKind::Contended)) {
                    group_conflict_ = true;
                    return error_of(f);
                }
                if (f.kind != sql::FailureKind::Retry || std::chrono::steady_clock::now() >= deadline)
                    return error_of(f);
                std::this_thread::sleep_for(std::chrono::milliseconds(std::min(attempt, 20)));
            } catch (const std::bad_alloc&) {
                reset_statements();
                return Error::StoreError("out of memory");
            }
        }
    }
    // Ends every cached statement's step.
    void reset_statements();
    // COMMIT, with every statement ended first: the WAL auto-checkpoint that COMMIT
    // triggers gives up while any statement of the connection is mid-step.
    void commit_transaction();

    sql::Statement& member_read(int64_t member_id);
    sql::Statement& coupons_read(int64_t member_id);
    sql::Statement& products_read(const Cart& cart, size_t first);
    sql::Statement& idempotency_read(const std::string& key);
    // Sends the idempotency check, the row locks (`locks`) and every read of the
    // snapshot ahead, in that order (one round trip on a server); replay_or_conflict and
    // load_snapshot then read the answers.
    // How a checkout's reads lock the rows they read: not at all (a quote), taking them
    // (waiting for them, or failing at once inside a group that holds rows), or, for a
    // cart read ahead of its turn, taking only the free ones (locked_what_was_read).
    enum class ReadLocks { None, Take, TakeFree };
    void send_checkout_reads_ahead(const Cart& cart, ReadLocks locks);
    // After a checkout's reads sent with ReadLocks::TakeFree: whether every row read is
    // locked (none was held by another writer, none came after the lock), given the
    // member and product rows the lock took (Connection::rows_locked_ahead).
    static bool locked_what_was_read(std::pair<int64_t, int64_t> locked, const CheckoutSnapshot& snapshot);
    Result<CheckoutSnapshot> load_snapshot(const Cart& cart);
    // The statements that return a new order's ids, and the ids already known (an
    // in-process backend has them at once; a server's come with a later round trip).
    struct NewOrderIds {
        sql::Statement* order;
        sql::Statement* outbox;
        std::optional<int64_t> order_id;
        std::optional<int64_t> outbox_id;
    };
    // Sends a decided checkout's writes; on a server they are not answered yet.
    NewOrderIds apply_decision(const CheckoutDecision& d, const Cart& cart, const std::string& created_at,
                               const std::optional<OutboxLease>& lease, UnixSeconds now, const Receipt& receipt);
    // After the commit (or the group's next round trip): the ids not known before.
    void read_new_order_ids(NewOrderIds& ids);
    // The same after a COMMIT whose answers were lost and that the server said it kept
    // (transaction `xid`): the member's order that transaction wrote, and its outbox row.
    void find_new_order_ids(NewOrderIds& ids, int64_t member_id, const std::string& xid);
    // In a group, after a cart's writes: the announced next cart's locks and reads,
    // answered in one round trip with the writes.
    void send_next_ahead_and_answer(NewOrderIds& ids);
    Result<std::optional<Receipt>> replay_or_conflict(const Cart& cart);
    Result<Receipt> read_receipt(int64_t order_id);
    std::optional<MemberInfo> find_member(int64_t member_id);
    // Writes an outbox row (PENDING, due now); `lease` holds it for this process's push.
    int64_t add_outbox_row(int64_t order_id, const char* event, int64_t event_no, const std::string& payload,
                           UnixSeconds now, const std::optional<OutboxLease>& lease);
    void add_point_history(int64_t member_id, std::optional<int64_t> order_id, Won delta, Won balance_after,
                           const char* reason, const std::string& at);
    OutboxRow read_outbox_row(sql::Statement& s);
    Result<ProductRow> product_row(int64_t product_id);
    // Inside a write scope, the member's row locked: the balance after a CHARGE of `amount`.
    Result<Won> apply_charge(int64_t member_id, Won amount, const std::string& at);
    // Inside a write scope: a new ISSUED coupon_issue's id.
    Result<int64_t> apply_issue(int64_t member_id, int64_t coupon_id);

    // Members end in reverse: the statements are finalized before the connection closes.
    std::unique_ptr<sql::Connection> conn_;
    std::unordered_map<const char*, std::unique_ptr<sql::Statement>> statements_;
    bool in_group_ = false;
    bool group_conflict_ = false;
    bool group_holds_locks_ = false;  // a checkout of the open group locked rows
    const Cart* next_cart_ = nullptr;   // announce_next_cart
    const Cart* sent_ahead_ = nullptr;  // the cart whose locks and reads went with the last writes
};

// An RAII write scope: a write transaction, or a SAVEPOINT inside a group; rolled
// back unless committed.
class WriteScope {
public:
    explicit WriteScope(SqlStore& store);
    ~WriteScope();
    WriteScope(const WriteScope&) = delete;
    WriteScope& operator=(const WriteScope&) = delete;
    void commit();

private:
    SqlStore& store_;
    bool in_group_;
    bool done_ = false;
};

// An RAII read scope: one consistent view for a read of several statements, in a
// read-only transaction (nothing if a group's transaction is already open).
class ReadScope {
public:
    explicit ReadScope(SqlStore& store);
    ~ReadScope();
    ReadScope(const ReadScope&) = delete;
    ReadScope& operator=(const ReadScope&) = delete;

private:
    SqlStore& store_;
    bool own_;
};

}  // namespace shopctl::db
