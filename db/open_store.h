// The one place that picks a store backend: everything above db/ opens, creates and
// scratches stores through these functions and sees only the Store interface, never a
// backend's type or headers. Today the backend is SQLite (a file path, or ":memory:");
// a new backend (a server store chosen by a URI, say) is one more branch here and one folder
// under db/.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "db/store.h"

namespace shopctl::db {

struct StoreOptions {
    std::string location = "shop.db";  // where the store is: a file path
    int busy_timeout_ms = 5000;
};

struct InitReport {
    bool created = false;
    int from_version = 0;
    int to_version = 0;
    std::optional<unsigned> tightened_from_mode;  // an existing file others could read, now 0600
};

// Opens an existing store. STORE_ERROR, and nothing created, when there is none or it
// holds no shopctl schema (or an older one: `shopctl init` upgrades it).
Result<std::unique_ptr<Store>> open_store(const StoreOptions& options);
// Creates the store or upgrades its schema; safe to run again.
Result<InitReport> init_store(const StoreOptions& options);
// A fresh, private store with the schema and nothing else (scenario replay).
Result<std::unique_ptr<Store>> fresh_memory_store();

}  // namespace shopctl::db
