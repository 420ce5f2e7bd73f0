#include "db/open_store.h"

#include "db/sql_store.h"
#include "db/sqlite/sqlite_connection.h"

namespace shopctl::db {

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
    auto connection = sqlite::open(options);
    if (!connection) return connection.error();
    return std::unique_ptr<Store>(new SqlStore(std::move(*connection)));
}

Result<InitReport> init_store(const StoreOptions& options) { return sqlite::init(options); }

Result<std::unique_ptr<Store>> fresh_memory_store() {
    auto connection = sqlite::in_memory();
    if (!connection) return connection.error();
    return std::unique_ptr<Store>(new SqlStore(std::move(*connection)));
}

}  // namespace shopctl::db
