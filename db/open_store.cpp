#include "db/open_store.h"

#include "db/sqlite_store.h"

namespace shopctl::db {

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
    auto store = SqliteStore::open(options);
    if (!store) return store.error();
    return std::unique_ptr<Store>(std::move(*store));
}

Result<InitReport> init_store(const StoreOptions& options) { return SqliteStore::init(options); }

Result<std::unique_ptr<Store>> fresh_memory_store() {
    auto store = SqliteStore::in_memory();
    if (!store) return store.error();
    return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace shopctl::db
