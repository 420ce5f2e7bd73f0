#include "platform/platform_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

namespace shopctl::platform {

namespace {

size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Status validate_platform_url(const std::string& url) {
    auto starts = [&](const char* prefix) { return url.rfind(prefix, 0) == 0; };
    if (!(starts("http://") || starts("https://")) || url.size() <= std::string("https://").size() - 1)
        return Error::InvalidInput("platform URL '" + url + "' must start with http:// or https://");
    return ok_status();
}

struct PlatformClient::Impl {
    PlatformConfig config;
    CURL* curl = nullptr;
    ~Impl() {
        if (curl) curl_easy_cleanup(curl);
    }
};

PlatformClient::PlatformClient(PlatformConfig config) : impl_(std::make_unique<Impl>()) {
    impl_->config = std::move(config);
}

PlatformClient::~PlatformClient() = default;

Result<std::unique_ptr<PlatformClient>> PlatformClient::create(const PlatformConfig& config) {
    if (auto s = validate_platform_url(config.url); !s) return s.error();
    global_init_once();
    std::unique_ptr<PlatformClient> client(new PlatformClient(config));
    client->impl_->curl = curl_easy_init();
    if (!client->impl_->curl) return Error::PlatformUnavailable("cannot initialise libcurl");
    return client;
}

Delivery PlatformClient::post(const std::string& idempotency_key, const std::string& body) {
    CURL* c = impl_->curl;
    const PlatformConfig& cfg = impl_->config;
    curl_easy_reset(c);  // keeps the connection cache, clears the last request's options
    curl_easy_setopt(c, CURLOPT_URL, cfg.url.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(cfg.connect_timeout_seconds, cfg.timeout_seconds));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "shopctl");

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("Idempotency-Key: " + idempotency_key).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    if (cfg.token) headers = curl_slist_append(headers, ("Authorization: Bearer " + *cfg.token).c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    Delivery d;
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
    if (rc != CURLE_OK) {
        d.error = std::string("platform unreachable: ") + curl_easy_strerror(rc);
        return d;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &d.http_status);
    d.delivered = d.http_status >= 200 && d.http_status < 300;
    if (!d.delivered) d.error = "platform answered HTTP " + std::to_string(d.http_status);
    return d;
}

}  // namespace shopctl::platform
