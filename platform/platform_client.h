// PlatformClient: delivers outbox payloads to the data platform (SPEC.md section 7)
// over one reused libcurl handle, so a flush of many rows keeps its connection.
// Every transport or HTTP failure comes back as one Delivery value; nothing throws,
// and the bearer token is never part of any message.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/result.h"

namespace shopctl::platform {

struct PlatformConfig {
    std::string url;
    std::optional<std::string> token;  // from SHOPCTL_PLATFORM_TOKEN only
    long timeout_seconds = 10;
    long connect_timeout_seconds = 3;
};

struct Delivery {
    bool delivered = false;  // a 2xx answer
    long http_status = 0;    // 0 when no answer came
    std::string error;       // why not delivered, one line
};

// http:// or https:// only, no control characters; anything else is INVALID_INPUT,
// whose message shows the URL without its credentials.
Status validate_platform_url(const std::string& url);
// No control characters (a CR/LF would inject a header); the token is never shown.
Status validate_platform_token(const std::string& token);
// The URL with any user:password@ replaced by ***@.
std::string redact_url(const std::string& url);

class PlatformClient {
public:
    static Result<std::unique_ptr<PlatformClient>> create(const PlatformConfig& config);
    ~PlatformClient();
    PlatformClient(const PlatformClient&) = delete;
    PlatformClient& operator=(const PlatformClient&) = delete;

    // POSTs `body` (JSON) with the given Idempotency-Key.
    Delivery post(const std::string& idempotency_key, const std::string& body);

private:
    explicit PlatformClient(PlatformConfig config);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shopctl::platform
