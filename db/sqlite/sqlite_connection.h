// The SQLite backend: one connection to one store file (WAL, foreign keys on, a busy
// timeout), opened, created or upgraded here. BEGIN IMMEDIATE takes the store's one
// write lock, so a write transaction needs no row locks.
#pragma once

#include <memory>

#include <SQLiteCpp/Database.h>

#include "db/open_store.h"
#include "db/sql/connection.h"

namespace shopctl::db::sqlite {

inline constexpr int kSchemaVersion = 3;

class SqliteConnection final : public sql::Connection {
public:
    SqliteConnection(SQLite::Database db, int busy_timeout_ms);

    std::unique_ptr<sql::Statement> prepare(const char* sql) override;
    void execute(const char* sql) override;
    void begin(sql::TransactionKind kind) override;
    bool in_transaction() override;
    void lock_rows(std::optional<int64_t>, const std::vector<int64_t>&, bool) override {}
    void tune_for_bulk() override;
    std::vector<std::pair<std::string, std::string>> integrity_problems() override;
    int busy_timeout_ms() const override { return busy_timeout_ms_; }

private:
    SQLite::Database db_;
    int busy_timeout_ms_;
};

// Opens an existing store file: STORE_ERROR, and no file created, when there is no file
// at the path or it holds no shopctl schema.
Result<std::unique_ptr<sql::Connection>> open(const StoreOptions& options);
// Creates the store file (mode 0600) or upgrades its schema; safe to run again.
Result<InitReport> init(const StoreOptions& options);
// A fresh in-memory store with the schema (scenario replay).
Result<std::unique_ptr<sql::Connection>> in_memory();

}  // namespace shopctl::db::sqlite
