// sql::Connection: what the shared store code needs from a backend, besides running
// its SQL: how transactions begin, how rows are locked for a write (SQLite's write
// lock already covers the whole store; a server locks rows), and the few checks and
// tunings that only one backend has.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/sql/statement.h"

namespace shopctl::db::sql {

enum class TransactionKind {
    Write,  // changes the store; other writers of the same rows wait
    Read,   // one consistent view, no writes (works on a read-only server)
};

class Connection {
public:
    virtual ~Connection() = default;

    virtual std::unique_ptr<Statement> prepare(const char* sql) = 0;
    // Runs SQL without parameters (transaction control, savepoints).
    virtual void execute(const char* sql) = 0;
    // The same for a command whose answer can wait (a SAVEPOINT, say): a server backend
    // sends it with the next statement that needs an answer; a failure surfaces there.
    virtual void execute_later(const char* sql) { execute(sql); }
    // Whether commands sent ahead wait for a later round trip (a server backend): then
    // the next cart's reads, sent with this cart's writes, save a round trip.
    virtual bool pipelines() const { return false; }
    virtual void begin(TransactionKind kind) = 0;
    // True inside a transaction (including one an error has spoiled).
    virtual bool in_transaction() = 0;
    // Commits; throws unless the transaction's writes are now durable (a server that
    // answers a spoiled transaction's COMMIT with a rollback must not pass for done).
    virtual void commit() { execute("COMMIT"); }
    // After commit() returned for a COMMIT whose answer was lost and that the server
    // then said it kept: that transaction's id (as rows' xmin shows it), so the caller
    // can find the rows whose answers were lost with it. Otherwise nothing.
    virtual std::optional<std::string> recovered_commit_xid() const { return std::nullopt; }

    // Inside a write transaction, before reading what a checkout or a return will
    // change: holds the member's row and the products' rows (in id order, so two
    // writers never wait on each other in a circle) until the transaction ends.
    // Every writer of a member's points and coupons, or of a product's stock, price
    // and status, takes these first. With `nowait`, a row another transaction holds is
    // Failure Contended at once: a group that already holds rows never waits, so two
    // groups can never wait on each other in a circle. A server backend may send the
    // lock with the reads after it (see Statement::query_later): a lock it could not
    // take then fails the first of them.
    virtual void lock_rows(std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids,
                           bool nowait = false) = 0;
    // The same rows for a cart whose reads go ahead of its turn (with another cart's
    // writes): only those no other transaction holds are taken, and nothing waits or
    // fails; rows_locked_ahead() then says how many member and product rows were (-1
    // when its answer is stale or gone). The caller compares them with the rows it read
    // and reads again under lock_rows if they differ.
    virtual void lock_free_rows_later(std::optional<int64_t> /*member_id*/, const std::vector<int64_t>& /*product_ids*/) {}
    virtual std::pair<int64_t, int64_t> rows_locked_ahead() { return {-1, -1}; }

    // After loading rows with explicit ids: whatever makes later generated ids follow them.
    virtual void after_explicit_ids() {}
    // Before a long bulk run: whatever makes many transactions cheaper, same durability.
    virtual void tune_for_bulk() {}
    // The backend's own consistency checks, as (check, message) pairs.
    virtual std::vector<std::pair<std::string, std::string>> integrity_problems() { return {}; }

    virtual int busy_timeout_ms() const = 0;
};

}  // namespace shopctl::db::sql
