#include "db/open_store.h"

#include <regex>

#include "db/pg/pg_connection.h"
#include "db/sql_store.h"
#include "db/sqlite/sqlite_connection.h"

namespace shopctl::db {

namespace {

Result<std::unique_ptr<Store>> store_on(Result<std::unique_ptr<sql::Connection>> connection) {
    if (!connection) return connection.error();
    return std::unique_ptr<Store>(new SqlStore(std::move(*connection)));
}

}  // namespace

bool is_server_location(const std::string& location) { return pg::is_uri(location); }

std::string display_location(const std::string& location) {
    if (!is_server_location(location)) return location;
    // postgresql://user:secret@host/db -> postgresql://user:***@host/db; a password
    // given as ?password=... is hidden the same way.
    static const std::regex userinfo(R"(^(postgres(?:ql)?://[^:/@?]*):[^@/?]*@)");
    static const std::regex query(R"(([?&]password=)[^&]*)");
    return std::regex_replace(std::regex_replace(location, userinfo, "$1:***@"), query, "$1***");
}

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
    if (pg::is_uri(options.location)) return store_on(pg::open(options));
    return store_on(sqlite::open(options));
}

Result<InitReport> init_store(const StoreOptions& options) {
    if (pg::is_uri(options.location)) return pg::init(options);
    return sqlite::init(options);
}

Result<std::unique_ptr<Store>> fresh_memory_store() { return store_on(sqlite::in_memory()); }

Result<std::unique_ptr<Store>> fresh_server_store(const StoreOptions& options) {
    return store_on(pg::scratch(options));
}

}  // namespace shopctl::db
