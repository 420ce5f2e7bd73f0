#include "tests/support/store_dump.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <sstream>
#include <vector>

#include "tests/support/pg_store.h"

namespace shopctl::test {

namespace {
// The tests look at a store while shopctl may be writing it: like any careful reader,
// they wait a moment for a lock (a WAL reader can meet one briefly) instead of failing.
constexpr int kReaderBusyTimeoutMs = 5000;
}  // namespace

std::string dump_store(const std::string& db_path) {
    if (is_pg_uri(db_path)) return pg_dump(db_path);
    SQLite::Database db(db_path, SQLite::OPEN_READONLY, kReaderBusyTimeoutMs);
    std::vector<std::string> tables;
    SQLite::Statement t(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (t.executeStep()) tables.push_back(t.getColumn(0).getString());
    std::ostringstream out;
    for (const auto& table : tables) {
        out << "== " << table << '\n';
        SQLite::Statement rows(db, "SELECT * FROM \"" + table + "\" ORDER BY 1, 2");
        while (rows.executeStep()) {
            for (int c = 0; c < rows.getColumnCount(); ++c) {
                auto col = rows.getColumn(c);
                out << (c ? "|" : "") << (col.isNull() ? "NULL" : col.getString());
            }
            out << '\n';
        }
    }
    out << "user_version=" << db.execAndGet("PRAGMA user_version").getInt() << '\n';
    return out.str();
}

long long count_rows(const std::string& db_path, const std::string& table) {
    if (is_pg_uri(db_path)) return std::stoll(pg_query_text(db_path, "SELECT count(*) FROM \"" + table + "\""));
    SQLite::Database db(db_path, SQLite::OPEN_READONLY, kReaderBusyTimeoutMs);
    return db.execAndGet("SELECT count(*) FROM \"" + table + "\"").getInt64();
}

void exec_sql(const std::string& db_path, const std::string& sql) {
    if (is_pg_uri(db_path)) return pg_exec(db_path, sql);
    SQLite::Database db(db_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kReaderBusyTimeoutMs);
    db.exec(sql);
}

std::string query_text(const std::string& db_path, const std::string& sql) {
    if (is_pg_uri(db_path)) return pg_query_text(db_path, sql);
    SQLite::Database db(db_path, SQLite::OPEN_READONLY, kReaderBusyTimeoutMs);
    SQLite::Statement s(db, sql);
    if (!s.executeStep() || s.getColumn(0).isNull()) return "";
    return s.getColumn(0).getString();
}

}  // namespace shopctl::test
