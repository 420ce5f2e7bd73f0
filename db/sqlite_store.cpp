#include "db/sqlite_store.h"

#include <fcntl.h>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include "core/refund.h"
#include "db/sqlite_durability.h"
#include "schema_sql.h"

namespace shopctl::db {

Error translate_sqlite_error(int code, int extended, const std::string& what) {
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Error::StoreBusy("the store is busy: another process held its lock past the busy timeout (" +
                                    what + ")");
        case SQLITE_FULL: return Error::StoreError("the disk or the store is full (" + what + ")");
        case SQLITE_READONLY: return Error::StoreError("the store is read-only (" + what + ")");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: return Error::StoreError("the store file is corrupt or not a database (" + what + ")");
        case SQLITE_CANTOPEN: return Error::StoreError("cannot open the store file (" + what + ")");
        case SQLITE_IOERR: return Error::StoreError("disk I/O error (" + what + ")");
        default: break;
    }
    (void)extended;
    return Error::StoreError(what);
}

namespace {

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

SqliteStore::SqliteStore(SQLite::Database db) : db_(std::move(db)) {}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const StoreOptions& options) {
    if (!is_memory(options.location) && !file_exists(options.location))
        return Error::StoreError("no store at '" + options.location + "': run `shopctl init --db " + options.location +
                                 "` first");
    configure_library();
    return guarded<std::unique_ptr<SqliteStore>>([&]() -> Result<std::unique_ptr<SqliteStore>> {
        SQLite::Database db(options.location, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, options.busy_timeout_ms);
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
        return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db)));
    });
}

Result<InitReport> SqliteStore::init(const StoreOptions& options) {
    InitReport report;
    report.to_version = kSchemaVersion;
    if (!is_memory(options.location) && !file_exists(options.location)) {
        // Created by us with 0600: a store holds members' balances and is nobody else's to read.
        const int fd = ::open(options.location.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd < 0) return Error::StoreError("cannot create '" + options.location + "': " + std::strerror(errno));
        ::close(fd);
        report.created = true;
    } else if (struct stat st; !is_memory(options.location) && ::stat(options.location.c_str(), &st) == 0 && (st.st_mode & 077)) {
        // An existing store readable by others (made by another tool, or copied): owner only.
        if (::chmod(options.location.c_str(), 0600) != 0)
            return Error::StoreError("'" + options.location + "' can be read by other users and cannot be made private: " +
                                     std::strerror(errno));
        report.tightened_from_mode = static_cast<unsigned>(st.st_mode & 0777);
    }
    configure_library();
    return guarded<InitReport>([&]() -> Result<InitReport> {
        SQLite::Database db(options.location, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, options.busy_timeout_ms);
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
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::in_memory() {
    configure_library();
    return guarded<std::unique_ptr<SqliteStore>>([&]() -> Result<std::unique_ptr<SqliteStore>> {
        SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
        configure_connection(db);
        apply_schema(db, 0);
        return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db)));
    });
}

SQLite::Statement& SqliteStore::prepared(const char* sql) {
    auto& slot = statements_[sql];
    if (!slot) {
        slot = std::make_unique<SQLite::Statement>(db_, sql);
    } else {
        slot->reset();
        slot->clearBindings();
    }
    return *slot;
}

void SqliteStore::reset_statements() {
    for (auto& [sql, statement] : statements_) statement->tryReset();
}

void SqliteStore::commit_transaction() {
    reset_statements();
    prepared("COMMIT").exec();
}

Status SqliteStore::tune_for_bulk() {
    return guarded<Ok>([&]() -> Status {
        db_.exec("PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 40000;");
        return Ok{};
    });
}

Status SqliteStore::begin_group() {
    return guarded<Ok>([&]() -> Status {
        db_.exec("BEGIN IMMEDIATE");
        in_group_ = true;
        return Ok{};
    });
}

Status SqliteStore::commit_group() {
    return guarded<Ok>([&]() -> Status {
        in_group_ = false;
        if (sqlite3_get_autocommit(db_.getHandle()))
            return Error::StoreError("the group's transaction was rolled back by an earlier error: nothing in it was kept");
        commit_transaction();
        return Ok{};
    });
}

Status SqliteStore::rollback_group() {
    return guarded<Ok>([&]() -> Status {
        in_group_ = false;
        if (sqlite3_get_autocommit(db_.getHandle()) == 0) db_.exec("ROLLBACK");  // still open: end it
        return Ok{};
    });
}

WriteScope::WriteScope(SqliteStore& store) : store_(store), in_group_(store.in_group_) {
    // SQLite rolls a whole transaction back on some errors (disk full, I/O): a group
    // whose transaction is gone must not quietly continue in autocommit mode.
    if (in_group_ && sqlite3_get_autocommit(store_.db_.getHandle()))
        throw SQLite::Exception("the group's transaction was rolled back by an earlier error", SQLITE_ABORT);
    store_.prepared(in_group_ ? "SAVEPOINT cart" : "BEGIN IMMEDIATE").exec();
}

WriteScope::~WriteScope() {
    if (done_) return;
    try {
        if (in_group_) {
            store_.prepared("ROLLBACK TO cart").exec();
            store_.prepared("RELEASE cart").exec();
        } else {
            store_.prepared("ROLLBACK").exec();
        }
    } catch (...) {
        // The connection is already rolled back (SQLite does so on some errors).
    }
}

void WriteScope::commit() {
    if (in_group_) store_.prepared("RELEASE cart").exec();
    else store_.commit_transaction();
    done_ = true;
}

}  // namespace shopctl::db
