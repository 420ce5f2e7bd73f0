// The PostgreSQL backend (SPEC.md section 10): one libpq connection, statements
// prepared once on it, row locks for writers (member, then products in id order), and
// retries of the races the server reports (deadlocks, serialization failures, a second
// order with the same idempotency key) inside the busy timeout.
#pragma once

#include <memory>
#include <string>

#include "db/open_store.h"
#include "db/sql/connection.h"

struct pg_conn;

namespace shopctl::db::pg {

struct Pipeline;

inline constexpr int kSchemaVersion = 3;

// Whether `location` names a PostgreSQL database (a postgresql:// or postgres:// URI).
bool is_uri(const std::string& location);

class PgConnection final : public sql::Connection {
public:
    PgConnection(pg_conn* conn, int busy_timeout_ms);
    ~PgConnection() override;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    std::unique_ptr<sql::Statement> prepare(const char* sql) override;
    void execute(const char* sql) override;
    void execute_later(const char* sql) override;
    void begin(sql::TransactionKind kind) override;
    bool in_transaction() override;
    void commit() override;
    void lock_rows(std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids, bool nowait) override;
    void lock_free_rows_later(std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids) override;
    std::pair<int64_t, int64_t> rows_locked_ahead() override;
    bool pipelines() const override { return true; }
    void after_explicit_ids() override;
    void tune_for_bulk() override;
    int busy_timeout_ms() const override { return busy_timeout_ms_; }

    // A scratch schema this connection made and drops when it closes (scenario replay).
    void own_schema(std::string schema) { owned_schema_ = std::move(schema); }

private:
    pg_conn* conn_;
    std::unique_ptr<Pipeline> pipeline_;  // writes sent ahead, answered with the next statement
    int busy_timeout_ms_;
    int next_statement_ = 0;
    std::unique_ptr<sql::Statement> lock_, lock_nowait_, lock_free_;
    sql::Statement& bound_lock(std::unique_ptr<sql::Statement>& statement, const char* how,
                               std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids);
    std::string owned_schema_;
};

Result<std::unique_ptr<sql::Connection>> open(const StoreOptions& options);
// Creates the tables in the connection's schema, or finds them there; safe to run
// twice and from two hosts at once.
Result<InitReport> init(const StoreOptions& options);
// A connection to a new, empty schema of the database with shopctl's tables in it,
// dropped when the connection closes.
Result<std::unique_ptr<sql::Connection>> scratch(const StoreOptions& options);

}  // namespace shopctl::db::pg
