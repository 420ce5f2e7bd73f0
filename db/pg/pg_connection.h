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
struct AnswerSink;

inline constexpr int kSchemaVersion = 3;

// Whether `location` names a PostgreSQL database (a postgresql:// or postgres:// URI).
bool is_uri(const std::string& location);

class PgConnection final : public sql::Connection {
public:
    // `options` say how to connect again after a lost connection (see commit()).
    PgConnection(pg_conn* conn, StoreOptions options);
    ~PgConnection() override;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    std::unique_ptr<sql::Statement> prepare(const char* sql) override;
    void execute(const char* sql) override;
    void execute_later(const char* sql) override;
    void begin(sql::TransactionKind kind) override;
    bool in_transaction() override;
    // A COMMIT whose answer the connection lost (the server or the network went away
    // while it ran) is settled on a new connection: the server is asked what became of
    // the transaction, by its id (taken with the BEGIN), until the busy timeout (at
    // least 5 s). Kept: commit() returns, recovered_commit_xid() names it, and the
    // connection goes on with the new one. Not kept: "nothing in it was kept". No
    // answer: an error that says it is not known, so nobody runs it again blindly.
    void commit() override;
    std::optional<std::string> recovered_commit_xid() const override { return recovered_xid_; }
    void lock_rows(std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids, bool nowait) override;
    void lock_free_rows_later(std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids) override;
    std::pair<int64_t, int64_t> rows_locked_ahead() override;
    bool pipelines() const override { return true; }
    void after_explicit_ids() override;
    void tune_for_bulk() override;
    int busy_timeout_ms() const override { return options_.busy_timeout_ms; }

    // A scratch schema this connection made and drops when it closes (scenario replay).
    void own_schema(std::string schema) { owned_schema_ = std::move(schema); }

private:
    void settle_lost_commit(const std::string& lost);
    // Replaces a lost connection with a new one (one attempt); false if none was had.
    bool reconnect();

    pg_conn* conn_;
    std::unique_ptr<Pipeline> pipeline_;  // writes sent ahead, answered with the next statement
    StoreOptions options_;
    std::unique_ptr<AnswerSink> xid_sink_;       // takes the open write transaction's id
    std::optional<std::string> xid_;            // that id (xid8), once answered
    std::optional<std::string> recovered_xid_;  // a lost COMMIT found kept: its 32-bit xid
    bool bulk_ = false;                         // tune_for_bulk() ran: a new connection runs it too
    uint64_t xid_prepared_on_ = ~0ULL;          // the pipeline generation its id query was prepared on
    int backend_pid_;                           // the server's process for this session (libpq forgets it once lost)
    bool server_gone_ = false;                  // the last wait for a new connection ran out
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
