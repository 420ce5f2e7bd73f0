// Settings: the global options every command shares (SPEC.md section 8), from the
// command line or the environment, and what they resolve to: the clock, the store,
// the platform configuration.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/json_reader.h"
#include "core/result.h"
#include "core/timestamp.h"
#include "db/open_store.h"
#include "platform/platform_client.h"

namespace shopctl::service {

struct Settings {
    std::string db_path = "shop.db";
    bool db_on_command_line = false;  // --db given as a flag (not from SHOPCTL_DB)
    std::optional<std::string> now;  // --now / SHOPCTL_NOW
    bool json = false;
    int64_t busy_timeout_ms = 5000;
    std::optional<std::string> platform_url;
    int64_t platform_timeout_seconds = 10;
};

// The pinned clock, or the system clock. INVALID_INPUT for a malformed --now.
Result<UnixSeconds> resolve_now(const Settings& settings);

db::StoreOptions store_options(const Settings& settings);
Result<std::unique_ptr<db::Store>> open_store(const Settings& settings);

// The platform configuration, or nullopt when no URL is set. INVALID_INPUT for a URL
// that is not http(s). The token comes from SHOPCTL_PLATFORM_TOKEN only.
Result<std::optional<platform::PlatformConfig>> platform_config(const Settings& settings);

// What a command that writes and then pushes needs, checked in this order: the clock,
// the platform configuration, the open store.
struct WriteAndPush {
    UnixSeconds now = 0;
    std::optional<platform::PlatformConfig> platform;
    std::unique_ptr<db::Store> store;
};
Result<WriteAndPush> open_for_write_and_push(const Settings& settings);

// Input size limits (SPEC.md section 3).
inline constexpr size_t kMaxCartBytes = 1 << 20;        // a cart, or one batch line
inline constexpr size_t kMaxDocumentBytes = 64 << 20;   // a fixture or a scenario

// Reads a whole input file, or stdin for "-". INPUT_NOT_FOUND when missing; over
// max_bytes, the error `too_large` makes (INVALID_CART, ...), having read no more.
Result<std::string> read_input(const std::string& path, size_t max_bytes, ErrorMaker too_large);

}  // namespace shopctl::service
