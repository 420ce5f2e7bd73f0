#include "db/sql_store.h"

namespace shopctl::db {

SqlStore::SqlStore(std::unique_ptr<sql::Connection> connection) : conn_(std::move(connection)) {}

SqlStore::~SqlStore() = default;

sql::Statement& SqlStore::prepared(const char* sql) {
    auto& slot = statements_[sql];
    if (!slot) {
        slot = conn_->prepare(sql);
    } else {
        slot->reset();
        slot->clearBindings();
    }
    return *slot;
}

void SqlStore::reset_statements() {
    for (auto& [sql, statement] : statements_) statement->reset();
}

void SqlStore::commit_transaction() {
    reset_statements();
    conn_->commit();
}

Status SqlStore::tune_for_bulk() {
    return guarded<Ok>([&]() -> Status {
        conn_->tune_for_bulk();
        return Ok{};
    });
}

Status SqlStore::begin_group() {
    group_conflict_ = false;
    group_holds_locks_ = false;
    next_cart_ = sent_ahead_ = nullptr;
    return guarded<Ok>([&]() -> Status {
        conn_->begin(sql::TransactionKind::Write);
        in_group_ = true;
        return Ok{};
    });
}

Status SqlStore::commit_group() {
    next_cart_ = sent_ahead_ = nullptr;  // a cart sent ahead holds nothing but its locks: they end here
    return guarded<Ok>([&]() -> Status {
        in_group_ = false;
        if (!conn_->in_transaction())
            return Error::StoreError("the group's transaction was rolled back by an earlier error: nothing in it was kept");
        commit_transaction();
        return Ok{};
    });
}

Status SqlStore::rollback_group() {
    next_cart_ = sent_ahead_ = nullptr;
    return guarded<Ok>([&]() -> Status {
        in_group_ = false;
        reset_statements();
        if (conn_->in_transaction()) conn_->execute("ROLLBACK");  // still open: end it
        return Ok{};
    });
}

WriteScope::WriteScope(SqlStore& store) : store_(store), in_group_(store.in_group_) {
    // SQLite rolls a whole transaction back on some errors (disk full, I/O): a group
    // whose transaction is gone must not quietly continue without one.
    if (in_group_ && !store_.conn_->in_transaction())
        throw sql::Failure(sql::FailureKind::Other, "the group's transaction was rolled back by an earlier error");
    if (in_group_) store_.conn_->execute_later("SAVEPOINT cart");
    else store_.conn_->begin(sql::TransactionKind::Write);
}

WriteScope::~WriteScope() {
    if (done_) return;
    try {
        store_.reset_statements();
        if (in_group_) {
            store_.conn_->execute_later("ROLLBACK TO cart");
            store_.conn_->execute("RELEASE cart");
        } else if (store_.conn_->in_transaction()) {  // not a COMMIT that ran and then reported a fault
            store_.conn_->execute("ROLLBACK");
        }
    } catch (...) {
        // The connection is already rolled back (SQLite does so on some errors).
    }
}

void WriteScope::commit() {
    // In a group, the RELEASE goes with the next cart's first round trip (or the
    // group's COMMIT): a server is not asked for it on its own.
    if (in_group_) store_.conn_->execute_later("RELEASE cart");
    else store_.commit_transaction();
    done_ = true;
}

ReadScope::ReadScope(SqlStore& store) : store_(store), own_(!store.conn_->in_transaction()) {
    if (own_) store_.conn_->begin(sql::TransactionKind::Read);
}

ReadScope::~ReadScope() {
    if (!own_) return;
    try {
        store_.reset_statements();
        store_.conn_->execute("COMMIT");
    } catch (...) {
        // Nothing was written; the backend ends the transaction with the connection.
    }
}

}  // namespace shopctl::db
