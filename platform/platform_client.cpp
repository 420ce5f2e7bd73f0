#include "platform/platform_client.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <mutex>

#include "core/json_reader.h"

namespace shopctl::platform {

namespace {

size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

// libcurl, loaded on first use. Linking it would make every shopctl process map some
// thirty libraries (TLS, LDAP, ...) at start-up, about 10 ms a process; only a
// process that pushes to the platform pays for them now.
struct Curl {
    CURLcode (*global_init)(long);
    CURL* (*easy_init)();
    void (*easy_cleanup)(CURL*);
    void (*easy_reset)(CURL*);
    CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
    CURLcode (*easy_perform)(CURL*);
    CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
    const char* (*easy_strerror)(CURLcode);
    curl_slist* (*slist_append)(curl_slist*, const char*);
    void (*slist_free_all)(curl_slist*);
};

const Curl* load_curl(std::string& error) {
    static Curl curl;
    static std::string load_error;
    static std::once_flag once;
    static bool loaded = false;
    std::call_once(once, [] {
        void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            load_error = std::string("cannot load libcurl: ") + dlerror();
            return;
        }
        bool all = true;
        auto bind = [&](auto& fn, const char* name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
            all = all && fn != nullptr;
        };
        bind(curl.global_init, "curl_global_init");
        bind(curl.easy_init, "curl_easy_init");
        bind(curl.easy_cleanup, "curl_easy_cleanup");
        bind(curl.easy_reset, "curl_easy_reset");
        bind(curl.easy_setopt, "curl_easy_setopt");
        bind(curl.easy_perform, "curl_easy_perform");
        bind(curl.easy_getinfo, "curl_easy_getinfo");
        bind(curl.easy_strerror, "curl_easy_strerror");
        bind(curl.slist_append, "curl_slist_append");
        bind(curl.slist_free_all, "curl_slist_free_all");
        if (!all) {
            load_error = "libcurl.so.4 lacks a function shopctl needs";
            return;
        }
        curl.global_init(CURL_GLOBAL_DEFAULT);
        loaded = true;
    });
    error = load_error;
    return loaded ? &curl : nullptr;
}

}  // namespace

std::string redact_url(const std::string& url) {
    // scheme://user:password@host/... -> scheme://***@host/...: credentials never reach a message.
    const auto scheme = url.find("://");
    const size_t from = scheme == std::string::npos ? 0 : scheme + 3;
    const auto at = url.find('@', from);
    const auto slash = url.find('/', from);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
    return url.substr(0, from) + "***" + url.substr(at);
}

Status validate_platform_url(const std::string& url) {
    auto starts = [&](const char* prefix) { return url.rfind(prefix, 0) == 0; };
    if (!(starts("http://") || starts("https://")) || url.size() <= std::string("https://").size() - 1)
        return Error::InvalidInput("platform URL " + quote_user_text(redact_url(url)) +
                                   " must start with http:// or https://");
    for (unsigned char c : url)
        if (c < 0x20 || c == 0x7f)
            return Error::InvalidInput("platform URL " + quote_user_text(redact_url(url)) + " holds a control character");
    return ok_status();
}

Status validate_platform_token(const std::string& token) {
    // A CR or LF would end the Authorization header and start another: refused, never echoed.
    for (unsigned char c : token)
        if (c < 0x20 || c == 0x7f)
            return Error::InvalidInput("SHOPCTL_PLATFORM_TOKEN holds a control character (CR, LF, ...): refused");
    return ok_status();
}

struct PlatformClient::Impl {
    PlatformConfig config;
    const Curl* api = nullptr;
    CURL* curl = nullptr;
    ~Impl() {
        if (curl) api->easy_cleanup(curl);
    }
};

PlatformClient::PlatformClient(PlatformConfig config) : impl_(std::make_unique<Impl>()) {
    impl_->config = std::move(config);
}

PlatformClient::~PlatformClient() = default;

Result<std::unique_ptr<PlatformClient>> PlatformClient::create(const PlatformConfig& config) {
    if (auto s = validate_platform_url(config.url); !s) return s.error();
    std::string error;
    const Curl* api = load_curl(error);
    if (!api) return Error::PlatformUnavailable(error);
    std::unique_ptr<PlatformClient> client(new PlatformClient(config));
    client->impl_->api = api;
    client->impl_->curl = api->easy_init();
    if (!client->impl_->curl) return Error::PlatformUnavailable("cannot initialise libcurl");
    return client;
}

Delivery PlatformClient::post(const std::string& idempotency_key, const std::string& body) {
    const Curl& api = *impl_->api;
    CURL* c = impl_->curl;
    const PlatformConfig& cfg = impl_->config;
    api.easy_reset(c);  // keeps the connection cache, clears the last request's options
    api.easy_setopt(c, CURLOPT_URL, cfg.url.c_str());
    api.easy_setopt(c, CURLOPT_POST, 1L);
    api.easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    api.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    api.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    api.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(cfg.connect_timeout_seconds, cfg.timeout_seconds));
    api.easy_setopt(c, CURLOPT_TIMEOUT, cfg.timeout_seconds);
    api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    api.easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
    api.easy_setopt(c, CURLOPT_USERAGENT, "shopctl");

    curl_slist* headers = nullptr;
    headers = api.slist_append(headers, "Content-Type: application/json");
    headers = api.slist_append(headers, ("Idempotency-Key: " + idempotency_key).c_str());
    headers = api.slist_append(headers, "Expect:");  // no 100-continue round trip
    if (cfg.token) headers = api.slist_append(headers, ("Authorization: Bearer " + *cfg.token).c_str());
    api.easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    Delivery d;
    const CURLcode rc = api.easy_perform(c);
    api.slist_free_all(headers);
    api.easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
    if (rc != CURLE_OK) {
        d.error = std::string("platform unreachable: ") + api.easy_strerror(rc);
        return d;
    }
    api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &d.http_status);
    d.delivered = d.http_status >= 200 && d.http_status < 300;
    if (!d.delivered) d.error = "platform answered HTTP " + std::to_string(d.http_status);
    return d;
}

}  // namespace shopctl::platform
