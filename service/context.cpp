#include "service/context.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shopctl::service {

Result<UnixSeconds> resolve_now(const Settings& settings) {
    if (settings.now) {
        auto t = parse_timestamp(*settings.now);
        if (!t) return Error::InvalidInput("--now '" + *settings.now + "' is not an RFC 3339 timestamp such as 2026-11-26T03:15:00Z");
        return *t;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

db::StoreOptions store_options(const Settings& settings) {
    return db::StoreOptions{settings.db_path, static_cast<int>(settings.busy_timeout_ms)};
}

Result<std::unique_ptr<db::Store>> open_store(const Settings& settings) {
    return db::open_store(store_options(settings));
}

Result<WriteAndPush> open_for_write_and_push(const Settings& settings) {
    auto now = resolve_now(settings);
    if (!now) return now.error();
    auto platform = platform_config(settings);
    if (!platform) return platform.error();
    auto store = open_store(settings);
    if (!store) return store.error();
    return WriteAndPush{*now, std::move(*platform), std::move(*store)};
}

Result<std::optional<platform::PlatformConfig>> platform_config(const Settings& settings) {
    if (!settings.platform_url || settings.platform_url->empty()) return std::optional<platform::PlatformConfig>();
    if (auto s = platform::validate_platform_url(*settings.platform_url); !s) return s.error();
    platform::PlatformConfig config;
    config.url = *settings.platform_url;
    if (const char* token = std::getenv("SHOPCTL_PLATFORM_TOKEN"); token && *token) {
        if (auto s = platform::validate_platform_token(token); !s) return s.error();
        config.token = token;
    }
    config.timeout_seconds = settings.platform_timeout_seconds;
    return std::optional<platform::PlatformConfig>(config);
}

Result<std::string> read_input(const std::string& path, size_t max_bytes, ErrorMaker too_large) {
    int fd = STDIN_FILENO;
    if (path != "-") {
        struct stat st;
        if (::stat(path.c_str(), &st) != 0) return Error::InputNotFound(path);
        if (S_ISDIR(st.st_mode)) return Error::InvalidInput(path + " is a directory, not a file");
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return Error::InputNotFound(path);
    }
    // Never more than the limit and one byte in memory, whatever the input (/dev/zero too).
    std::string text;
    char chunk[1 << 16];
    bool over = false;
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (text.size() + static_cast<size_t>(n) > max_bytes) {
            over = true;
            break;
        }
        text.append(chunk, static_cast<size_t>(n));
    }
    if (fd != STDIN_FILENO) ::close(fd);
    if (over)
        return too_large("", (path == "-" ? std::string("standard input") : path) + " is larger than " +
                                 std::to_string(max_bytes / (1024 * 1024)) + " MiB, the most shopctl reads");
    return text;
}

}  // namespace shopctl::service
