// SqliteStore: the Store on one SQLite file (WAL, foreign keys on, a busy timeout).
// One connection per store; every statement is prepared once on it and bound by
// name, so a batch of thousands of checkouts prepares nothing twice.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include "db/guarded.h"
#include "db/open_store.h"
#include "db/store.h"

namespace shopctl::db {

inline constexpr int kSchemaVersion = 3;

class SqliteStore final : public Store {
public:
    // Opens an existing store. STORE_ERROR, and no file created, when there is no
    // file at the path or it holds no shopctl schema.
    static Result<std::unique_ptr<SqliteStore>> open(const StoreOptions& options);
    // Creates the store (mode 0600) or upgrades its schema; safe to run again.
    static Result<InitReport> init(const StoreOptions& options);
    // A fresh in-memory store with the schema (scenario replay).
    static Result<std::unique_ptr<SqliteStore>> in_memory();

    Result<LoadCounts> load_fixture(const Fixture& fixture, UnixSeconds now) override;
    Result<CheckoutResult> checkout(const Cart& cart, UnixSeconds now, CheckoutMode mode,
                                    const std::optional<OutboxLease>& lease) override;
    Status begin_group() override;
    Status commit_group() override;
    Status rollback_group() override;
    Result<ReturnResult> return_order(int64_t order_id, const std::vector<ReturnRequest>& requests, bool cancel,
                                      UnixSeconds now, const std::optional<OutboxLease>& lease, bool dry_run) override;
    Result<Receipt> order_receipt(int64_t order_id) override;
    Result<std::vector<OrderSummary>> list_orders(const OrderFilter& filter) override;
    Result<MemberPoints> charge_points(int64_t member_id, Won amount, UnixSeconds now) override;
    Result<MemberPoints> member_points(int64_t member_id) override;
    Result<int64_t> issue_coupon(int64_t member_id, int64_t coupon_id) override;
    Result<std::vector<MemberCoupon>> member_coupons(int64_t member_id) override;
    Result<std::vector<ProductRow>> list_products() override;
    Result<ProductRow> set_product(int64_t product_id, const ProductChange& change) override;
    Result<ProductRow> add_stock(int64_t product_id, int64_t delta) override;
    Result<std::vector<OutboxRow>> list_outbox(const std::optional<std::string>& status) override;
    Result<std::vector<OutboxRow>> claim_outbox(UnixSeconds now, bool ignore_schedule, int64_t after_id, int64_t limit,
                                                const OutboxLease& lease, UnixSeconds real_now) override;
    Result<std::vector<OutboxRow>> claim_outbox_rows(const std::vector<int64_t>& ids, const OutboxLease& lease,
                                                     UnixSeconds real_now) override;
    Status release_outbox(const std::string& token) override;
    Status record_deliveries(const std::vector<DeliveryOutcome>& outcomes, UnixSeconds now,
                             const std::string& token) override;
    Result<OutboxRow> retry_outbox(int64_t outbox_id, UnixSeconds now) override;
    Result<OutboxRow> outbox_row(int64_t outbox_id) override;
    Result<std::vector<Violation>> verify() override;
    Result<Json> state_summary() override;

    // For long bulk runs (batch): a larger page cache, and WAL checkpoints every
    // ~160 MB instead of every 4 MB, so hot pages (stock, points, per-member index
    // leaves) are copied back and synced once per checkpoint rather than forty times.
    // Durability is the same; the WAL file may grow to that size during a batch.
    Status tune_for_bulk() override;

private:
    friend class WriteScope;
    explicit SqliteStore(SQLite::Database db);

    // The statement for `sql` (a string literal: its address is the cache key),
    // reset and with its bindings cleared.
    SQLite::Statement& prepared(const char* sql);
    // guarded() and then every cached statement reset, so no finished operation
    // leaves a read transaction open on the connection.
    template <typename T, typename Body>
    Result<T> run(Body&& body) {
        auto result = guarded<T>(std::forward<Body>(body));
        reset_statements();
        return result;
    }
    // Ends every cached statement's step.
    void reset_statements();
    // COMMIT, with every statement ended first: the WAL auto-checkpoint that COMMIT
    // triggers gives up while any statement of the connection is mid-step.
    void commit_transaction();

    Result<CheckoutSnapshot> load_snapshot(const Cart& cart);
    Result<int64_t> apply_decision(const CheckoutDecision& d, const Cart& cart, const std::string& created_at,
                                   const std::optional<OutboxLease>& lease, UnixSeconds now, Receipt& receipt);
    Result<std::optional<Receipt>> replay_or_conflict(const Cart& cart);
    Result<Receipt> read_receipt(int64_t order_id);
    std::optional<MemberInfo> find_member(int64_t member_id);
    // Writes an outbox row (PENDING, due now); `lease` holds it for this process's push.
    int64_t add_outbox_row(int64_t order_id, const char* event, int64_t event_no, const std::string& payload,
                           UnixSeconds now, const std::optional<OutboxLease>& lease);
    void add_point_history(int64_t member_id, std::optional<int64_t> order_id, Won delta, Won balance_after,
                           const char* reason, const std::string& at);
    OutboxRow read_outbox_row(SQLite::Statement& s);
    Result<ProductRow> product_row(int64_t product_id);

    SQLite::Database db_;
    std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
    bool in_group_ = false;
};

// An RAII write scope: BEGIN IMMEDIATE, or a SAVEPOINT inside a group; rolled back
// unless committed.
class WriteScope {
public:
    explicit WriteScope(SqliteStore& store);
    ~WriteScope();
    WriteScope(const WriteScope&) = delete;
    WriteScope& operator=(const WriteScope&) = delete;
    void commit();

private:
    SqliteStore& store_;
    bool in_group_;
    bool done_ = false;
};

}  // namespace shopctl::db
