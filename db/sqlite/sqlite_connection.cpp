#include "db/sqlite/sqlite_connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "core/refund.h"
#include "db/guarded.h"
#include "db/sqlite/sqlite_durability.h"
#include "schema_sql.h"

namespace shopctl::db::sqlite {

namespace {

sql::Failure failure_of(const SQLite::Exception& e) {
    const std::string what = e.what();
    using sql::FailureKind;
    switch (e.getErrorCode() & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return {FailureKind::Busy,
                    "the store is busy: another process held its lock past the busy timeout (" + what + ")"};
        case SQLITE_FULL: return {FailureKind::Full, "the disk or the store is full (" + what + ")"};
        case SQLITE_READONLY: return {FailureKind::ReadOnly, "the store is read-only (" + what + ")"};
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return {FailureKind::Corrupt, "the store file is corrupt or not a database (" + what + ")"};
        case SQLITE_CANTOPEN: return {FailureKind::Other, "cannot open the store file (" + what + ")"};
        case SQLITE_IOERR: return {FailureKind::Other, "disk I/O error (" + what + ")"};
        default: return {FailureKind::Other, what};
    }
}

// Runs `body`, turning SQLite's exceptions into sql::Failure.
template <typename Body>
auto translated(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const SQLite::Exception& e) {
        throw failure_of(e);
    }
}

class SqliteStatement final : public sql::Statement {
public:
    SqliteStatement(SQLite::Database& db, const char* text) : s_(translated([&] { return SQLite::Statement(db, text); })) {}

    void bind(const char* name, int64_t value) override { translated([&] { s_.bind(name, value); }); }
    void bind(const char* name, const std::string& value) override { translated([&] { s_.bind(name, value); }); }
    void bind(const char* name) override { translated([&] { s_.bind(name); }); }
    bool executeStep() override {
        if (kept_) return ++kept_row_ < kept_->size();
        return translated([&] { return s_.executeStep(); });
    }
    void write_returning_later() override {
        translated([&] {
            std::vector<std::vector<Cell>> rows;
            while (s_.executeStep()) {
                std::vector<Cell> row;
                for (int i = 0; i < s_.getColumnCount(); ++i) {
                    const auto c = s_.getColumn(i);
                    row.push_back({c.isNull(), c.isNull() ? 0 : c.getInt64(), c.isNull() ? "" : c.getString()});
                }
                rows.push_back(std::move(row));
            }
            s_.reset();  // ended now: a COMMIT never meets it mid-step
            kept_ = std::move(rows);
            kept_row_ = static_cast<size_t>(-1);
        });
    }
    int exec() override { return translated([&] { return s_.exec(); }); }
    void exec_later(int expected_changes) override {
        const int changed = exec();
        if (changed != expected_changes)
            throw sql::Failure(sql::FailureKind::Other, "a guarded write changed " + std::to_string(changed) +
                                                            " rows, not " + std::to_string(expected_changes) + ": " +
                                                            s_.getQuery());
    }
    bool answered() const override { return kept_.has_value(); }
    void reset() override {
        kept_.reset();
        s_.tryReset();
    }
    void clearBindings() override { s_.clearBindings(); }
    int64_t column_int64(int index) override {
        if (kept_) return kept(index).integer;
        return translated([&] { return s_.getColumn(index).getInt64(); });
    }
    std::string column_text(int index) override {
        if (kept_) return kept(index).text;
        return translated([&] { return s_.getColumn(index).getString(); });
    }
    bool column_null(int index) override {
        if (kept_) return kept(index).null;
        return translated([&] { return s_.getColumn(index).isNull(); });
    }

private:
    struct Cell {
        bool null;
        int64_t integer;
        std::string text;
    };
    const Cell& kept(int index) const {
        if (kept_row_ >= kept_->size() || index < 0 || static_cast<size_t>(index) >= (*kept_)[kept_row_].size())
            throw sql::Failure(sql::FailureKind::Other, "no such column or row: " + s_.getQuery());
        return (*kept_)[kept_row_][static_cast<size_t>(index)];
    }

    SQLite::Statement s_;
    // The rows of a write_returning_later, until reset.
    std::optional<std::vector<std::vector<Cell>>> kept_;
    size_t kept_row_ = 0;
};

bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

bool is_memory(const std::string& path) { return path == ":memory:"; }

int user_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

// Process-wide, before the first connection: no memory statistics, which would take a
// global mutex on every allocation. Ignored (SQLITE_MISUSE) if SQLite is already running.
void configure_library() {
    static const int once = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)once;
}

void configure_connection(SQLite::Database& db) {
    // WAL is persistent (set by init); these are per connection. synchronous (FULL)
    // makes every COMMIT fsync the WAL before shopctl prints or pushes anything.
    // Temporary b-trees and statement journals stay in memory: they are small, and a
    // temp file costs a write() per page.
    db.exec(std::string("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA synchronous = ") +
            kSqliteSynchronous + ";");
}

// Version 3 keeps per-line returns: a store's orders cancelled before it are marked
// wholly returned, each line refunded its net (its share of the order discount off).
void backfill_cancelled_orders(SQLite::Database& db) {
    SQLite::Statement orders(db, "SELECT id, order_discount FROM orders WHERE status = 'CANCELLED'");
    SQLite::Statement items(db, "SELECT line_no, product_id, amount FROM order_item WHERE order_id = ? ORDER BY line_no");
    SQLite::Statement mark(db, "UPDATE order_item SET returned_quantity = quantity, refunded = ? "
                               "WHERE order_id = ? AND line_no = ?");
    while (orders.executeStep()) {
        const int64_t order_id = orders.getColumn(0).getInt64();
        std::vector<int64_t> line_numbers;
        std::vector<RefundLine> lines;
        items.bind(1, order_id);
        while (items.executeStep()) {
            line_numbers.push_back(items.getColumn(0).getInt64());
            lines.push_back({items.getColumn(1).getInt64(), items.getColumn(2).getInt64()});
        }
        items.reset();
        const auto nets = line_nets(lines, orders.getColumn(1).getInt64());
        for (size_t i = 0; i < lines.size(); ++i) {
            mark.bind(1, nets[i]);
            mark.bind(2, order_id);
            mark.bind(3, line_numbers[i]);
            mark.exec();
            mark.reset();
        }
    }
}

// Creates the schema, or upgrades a store of an older version, in one transaction.
void apply_schema(SQLite::Database& db, int from_version) {
    const bool migrate = from_version > 0 && from_version < 3;
    if (migrate) db.exec("PRAGMA foreign_keys = OFF");  // tables are rebuilt; not allowed inside the transaction
    db.exec("BEGIN IMMEDIATE");
    try {
        if (migrate) {
            db.exec(kMigrateV3Sql);
            backfill_cancelled_orders(db);
        }
        db.exec(kSchemaSql);
        if (migrate) {
            SQLite::Statement check(db, "PRAGMA foreign_key_check");
            if (check.executeStep()) throw SQLite::Exception("the upgrade would break a foreign key", SQLITE_CONSTRAINT);
        }
        db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        if (migrate) db.exec("PRAGMA foreign_keys = ON");
        throw;
    }
    if (migrate) db.exec("PRAGMA foreign_keys = ON");
}

}  // namespace

SqliteConnection::SqliteConnection(SQLite::Database db, int busy_timeout_ms)
    : db_(std::move(db)), busy_timeout_ms_(busy_timeout_ms) {}

std::unique_ptr<sql::Statement> SqliteConnection::prepare(const char* text) {
    return std::make_unique<SqliteStatement>(db_, text);
}

void SqliteConnection::execute(const char* text) {
    translated([&] { db_.exec(text); });
}

void SqliteConnection::begin(sql::TransactionKind kind) {
    // IMMEDIATE takes the write lock now, so a checkout never fails half-way on a
    // lock it could not upgrade to.
    execute(kind == sql::TransactionKind::Write ? "BEGIN IMMEDIATE" : "BEGIN");
}

bool SqliteConnection::in_transaction() { return sqlite3_get_autocommit(db_.getHandle()) == 0; }

void SqliteConnection::tune_for_bulk() {
    // A larger page cache, and WAL checkpoints every ~160 MB instead of every 4 MB, so
    // hot pages (stock, points, per-member index leaves) are copied back and synced once
    // per checkpoint rather than forty times. The WAL may grow to that size meanwhile.
    execute("PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 40000;");
}

std::vector<std::pair<std::string, std::string>> SqliteConnection::integrity_problems() {
    return translated([&] {
        std::vector<std::pair<std::string, std::string>> out;
        SQLite::Statement integrity(db_, "PRAGMA integrity_check");
        while (integrity.executeStep()) {
            const std::string line = integrity.getColumn(0).getString();
            if (line != "ok") out.emplace_back("integrity_check", line);
        }
        SQLite::Statement fk(db_, "PRAGMA foreign_key_check");
        while (fk.executeStep())
            out.emplace_back("foreign_keys", fk.getColumn(0).getString() + " row " + fk.getColumn(1).getString() +
                                                 " names a missing " + fk.getColumn(2).getString() + " row");
        return out;
    });
}

Result<std::unique_ptr<sql::Connection>> open(const StoreOptions& options) {
    if (!is_memory(options.location) && !file_exists(options.location))
        return Error::StoreError("no store at '" + options.location + "': run `shopctl init --db " + options.location +
                                 "` first");
    configure_library();
    return guarded<std::unique_ptr<sql::Connection>>([&]() -> Result<std::unique_ptr<sql::Connection>> {
        return translated([&]() -> Result<std::unique_ptr<sql::Connection>> {
            SQLite::Database db(options.location, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                                options.busy_timeout_ms);
            const int version = user_version(db);
            if (version == 0)
                return Error::StoreError("'" + options.location + "' holds no shopctl schema: run `shopctl init --db " +
                                         options.location + "`");
            if (version > kSchemaVersion)
                return Error::StoreError("'" + options.location + "' has schema version " + std::to_string(version) +
                                         ", newer than this shopctl knows (" + std::to_string(kSchemaVersion) + ")");
            if (version < kSchemaVersion)
                return Error::StoreError("'" + options.location + "' has schema version " + std::to_string(version) +
                                         ": run `shopctl init` to upgrade it");
            configure_connection(db);
            return std::unique_ptr<sql::Connection>(new SqliteConnection(std::move(db), options.busy_timeout_ms));
        });
    });
}

Result<InitReport> init(const StoreOptions& options) {
    InitReport report;
    report.to_version = kSchemaVersion;
    if (!is_memory(options.location) && !file_exists(options.location)) {
        // Created by us with 0600: a store holds members' balances and is nobody else's to read.
        const int fd = ::open(options.location.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0) return Error::StoreError("cannot create '" + options.location + "': " + std::strerror(errno));
        ::close(fd);
        report.created = true;
    } else if (struct stat st; !is_memory(options.location) && ::stat(options.location.c_str(), &st) == 0 &&
                               (st.st_mode & 077)) {
        // An existing store readable by others (made by another tool, or copied): owner only.
        if (::chmod(options.location.c_str(), 0600) != 0)
            return Error::StoreError("'" + options.location +
                                     "' can be read by other users and cannot be made private: " + std::strerror(errno));
        report.tightened_from_mode = static_cast<unsigned>(st.st_mode & 0777);
    }
    configure_library();
    return guarded<InitReport>([&]() -> Result<InitReport> {
        return translated([&]() -> Result<InitReport> {
            SQLite::Database db(options.location, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                                options.busy_timeout_ms);
            report.from_version = user_version(db);
            if (report.from_version > kSchemaVersion)
                return Error::StoreError("'" + options.location + "' has schema version " +
                                         std::to_string(report.from_version) + ", newer than this shopctl knows");
            if (!is_memory(options.location)) db.exec("PRAGMA journal_mode = WAL");
            configure_connection(db);
            if (report.from_version < kSchemaVersion) apply_schema(db, report.from_version);
            report.to_version = kSchemaVersion;
            return report;
        });
    });
}

Result<std::unique_ptr<sql::Connection>> in_memory() {
    configure_library();
    return guarded<std::unique_ptr<sql::Connection>>([&]() -> Result<std::unique_ptr<sql::Connection>> {
        return translated([&]() -> Result<std::unique_ptr<sql::Connection>> {
            SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
            configure_connection(db);
            apply_schema(db, 0);
            return std::unique_ptr<sql::Connection>(new SqliteConnection(std::move(db), 5000));
        });
    });
}

}  // namespace shopctl::db::sqlite
