// The one place that picks a store backend: everything above db/ opens, creates and
// scratches stores through these functions and sees only the Store interface, never a
// backend's type or headers. A location starting with postgresql:// or postgres:// is
// a PostgreSQL database (libpq's connection URI); anything else is a SQLite file path.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "db/store.h"

namespace shopctl::db {

struct StoreOptions {
    std::string location = "shop.db";  // a SQLite file path, or a postgresql:// URI
    int busy_timeout_ms = 5000;
};

struct InitReport {
    bool created = false;  // the file (SQLite) or the tables (PostgreSQL) are new
    int from_version = 0;
    int to_version = 0;
    std::optional<unsigned> tightened_from_mode;  // an existing file others could read, now 0600
};

// Whether `location` is a server database (a postgresql:// URI) rather than a file.
bool is_server_location(const std::string& location);
// How to name `location` in messages: a URI without its password.
std::string display_location(const std::string& location);

// Opens an existing store. STORE_ERROR, and nothing created, when there is none or it
// holds no shopctl schema (or an older one: `shopctl init` upgrades it).
Result<std::unique_ptr<Store>> open_store(const StoreOptions& options);
// Creates the store or upgrades its schema; safe to run again.
Result<InitReport> init_store(const StoreOptions& options);
// A fresh, private store with the schema and nothing else (scenario replay).
Result<std::unique_ptr<Store>> fresh_memory_store();
// A fresh store in a new schema of the server database at options.location, dropped
// when the store is closed (scenario replay against a server).
Result<std::unique_ptr<Store>> fresh_server_store(const StoreOptions& options);

}  // namespace shopctl::db
