#include "service/outbox_delivery.h"

#include "core/outbox_rules.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace shopctl::service {

namespace {

std::mt19937_64& rng() {
    static std::mt19937_64 generator{std::random_device{}()};
    return generator;
}

double jitter() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng()); }

std::string new_token() {
    char token[40];
    std::snprintf(token, sizeof token, "%016llx%016llx", static_cast<unsigned long long>(rng()()),
                  static_cast<unsigned long long>(rng()()));
    return token;
}

// Rows a flush claims at once: their lease covers this many pushes.
constexpr int64_t kClaimBatch = 16;

PlatformState state_of(const db::OutboxRow& row) {
    PlatformState s;
    s.status = platform_status_of(row.status);
    s.attempts = row.attempts;
    s.error = row.last_error;
    return s;
}

}  // namespace

std::string idempotency_key_for(int64_t order_id, const std::string& event, int64_t event_no) {
    const std::string order = "order-" + std::to_string(order_id);
    if (event == "order.cancelled") return order + "-cancelled";
    if (event == "order.returned") return order + "-return-" + std::to_string(event_no);
    return order;
}

UnixSeconds real_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

OutboxDelivery::OutboxDelivery(db::Store& store, std::optional<platform::PlatformConfig> config)
    : store_(store), config_(std::move(config)), token_(new_token()) {}

int64_t OutboxDelivery::seconds_per_push() const {
    constexpr int64_t kMargin = 5;  // the store writes around a push, a clock step
    return config_ ? config_->connect_timeout_seconds + config_->timeout_seconds + kMargin : kMargin;
}

std::optional<db::OutboxLease> OutboxDelivery::lease_for(int64_t rows) {
    if (!config_) return std::nullopt;
    // One push to spare: the store's work before the first push (and a second boundary
    // crossed on the way) never leaves the lease one push short.
    lease_until_ = real_now() + (rows + 1) * seconds_per_push();
    return db::OutboxLease{token_, lease_until_};
}

bool OutboxDelivery::lease_covers_a_push() const { return real_now() + seconds_per_push() <= lease_until_; }

Result<platform::PlatformClient*> OutboxDelivery::client() {
    if (!client_) {
        auto c = platform::PlatformClient::create(*config_);
        if (!c) return c.error();
        client_ = std::move(*c);
    }
    return client_.get();
}

Result<PlatformState> OutboxDelivery::deliver(int64_t outbox_id, UnixSeconds now,
                                              const std::function<void(const std::string&)>& warn) {
    auto row = store_.outbox_row(outbox_id);
    if (!row) return row.error();
    return deliver(*row, now, warn);
}

Result<std::optional<db::DeliveryOutcome>> OutboxDelivery::push(const db::OutboxRow& row) {
    if (!config_ || !lease_covers_a_push()) return std::optional<db::DeliveryOutcome>();
    auto c = client();
    if (!c) return c.error();
    const platform::Delivery d = (*c)->post(idempotency_key_for(row.order_id, row.event, row.event_no), row.payload);
    return std::optional<db::DeliveryOutcome>(db::DeliveryOutcome{row.id, d.delivered, d.error, jitter()});
}

Result<PlatformState> OutboxDelivery::deliver(const db::OutboxRow& row, UnixSeconds now,
                                              const std::function<void(const std::string&)>& warn) {
    auto pushed = push(row);
    if (!pushed) return pushed.error();
    if (!*pushed) return state_of(row);  // nothing tried: the row waits for `outbox flush`
    if (auto s = store_.record_deliveries({**pushed}, now, token_); !s) return s.error();
    if ((*pushed)->delivered) return PlatformState{"SENT", row.attempts + 1, std::nullopt};
    auto after = store_.outbox_row(row.id);
    if (!after) return after.error();
    if (warn)
        warn("order " + std::to_string(row.order_id) + " (" + row.event + ") not delivered to the data platform: " +
             (*pushed)->error + "; " + (after->status == "DEAD" ? "the outbox row is now DEAD" : "queued for retry"));
    return state_of(*after);
}

Result<std::vector<db::DeliveryOutcome>> OutboxDelivery::push_claimed(const std::vector<db::OutboxRow>& rows,
                                                                      UnixSeconds now, const std::function<bool()>& stop) {
    // Push, then record them all in one transaction: one sync for the lot. A crash in
    // between only sends them again, with the same Idempotency-Keys.
    std::vector<db::DeliveryOutcome> outcomes;
    for (const db::OutboxRow& row : rows) {
        if (stop && stop()) break;  // the rest wait for `outbox flush`
        auto pushed = push(row);
        if (!pushed) return pushed.error();
        if (!*pushed) break;  // the lease ran short
        outcomes.push_back(**pushed);
    }
    if (auto s = store_.record_deliveries(outcomes, now, token_); !s) return s.error();
    if (auto s = store_.release_outbox(token_); !s) return s.error();  // any not pushed
    return outcomes;
}

Status OutboxDelivery::deliver_rows(const std::vector<int64_t>& outbox_ids, const std::function<UnixSeconds()>& clock,
                                    const std::function<bool()>& stop) {
    if (!config_ || outbox_ids.empty()) return ok_status();
    for (size_t from = 0; from < outbox_ids.size(); from += kClaimBatch) {
        if (stop && stop()) break;
        const size_t to = std::min(outbox_ids.size(), from + static_cast<size_t>(kClaimBatch));
        const std::vector<int64_t> ids(outbox_ids.begin() + static_cast<std::ptrdiff_t>(from),
                                       outbox_ids.begin() + static_cast<std::ptrdiff_t>(to));
        auto lease = lease_for(static_cast<int64_t>(ids.size()));
        auto rows = store_.claim_outbox_rows(ids, *lease, real_now());
        if (!rows) return rows.error();
        if (auto pushed = push_claimed(*rows, clock(), stop); !pushed) return pushed.error();
    }
    return ok_status();
}

Result<FlushReport> OutboxDelivery::flush(UnixSeconds now, bool ignore_schedule,
                                          const std::function<void(const FlushReport&)>& progress) {
    if (!config_)
        return Error::PlatformUnavailable("no platform URL: set --platform-url or SHOPCTL_PLATFORM_URL");
    FlushReport report;
    int64_t after_id = 0;  // each row is tried at most once per flush, oldest first
    for (;;) {
        auto lease = lease_for(kClaimBatch);
        auto rows = store_.claim_outbox(now, ignore_schedule, after_id, kClaimBatch, *lease, real_now());
        if (!rows) return rows.error();
        if (rows->empty()) break;
        auto outcomes = push_claimed(*rows, now, nullptr);  // rows the lease ran short for are claimed again
        if (!outcomes) return outcomes.error();
        for (const auto& o : *outcomes) {
            after_id = o.outbox_id;
            auto after = store_.outbox_row(o.outbox_id);
            if (!after) return after.error();
            ++report.tried;
            if (o.delivered) ++report.delivered;
            else ++report.failed;
            if (after->status == "DEAD") ++report.dead;
            report.rows.push_back(*after);
        }
        if (progress) progress(report);
    }
    return report;
}

}  // namespace shopctl::service
