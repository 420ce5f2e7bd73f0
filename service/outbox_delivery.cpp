#include "service/outbox_delivery.h"

#include <random>

namespace shopctl::service {

namespace {

double jitter() {
    static std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

PlatformState state_of(const db::OutboxRow& row) {
    PlatformState s;
    s.status = row.status == "PENDING" ? "QUEUED" : row.status;
    s.attempts = row.attempts;
    s.error = row.last_error;
    return s;
}

}  // namespace

std::string idempotency_key_for(int64_t order_id, const std::string& event) {
    return event == "order.cancelled" ? "order-" + std::to_string(order_id) + "-cancelled"
                                      : "order-" + std::to_string(order_id);
}

OutboxDelivery::OutboxDelivery(db::Store& store, std::optional<platform::PlatformConfig> config)
    : store_(store), config_(std::move(config)) {}

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

Result<PlatformState> OutboxDelivery::deliver(const db::OutboxRow& row, UnixSeconds now,
                                              const std::function<void(const std::string&)>& warn) {
    if (!config_) return state_of(row);
    auto c = client();
    if (!c) return c.error();
    const platform::Delivery d = (*c)->post(idempotency_key_for(row.order_id, row.event), row.payload);
    if (d.delivered) {
        if (auto s = store_.mark_outbox_sent(row.id, now); !s) return s.error();
        return PlatformState{"SENT", row.attempts + 1, std::nullopt};
    }
    auto failed = store_.mark_outbox_failed(row.id, d.error, now, jitter());
    if (!failed) return failed.error();
    if (warn)
        warn("order " + std::to_string(row.order_id) + " (" + row.event + ") not delivered to the data platform: " +
             d.error + "; " + (failed->status == "DEAD" ? "the outbox row is now DEAD" : "queued for retry"));
    return state_of(*failed);
}

Result<FlushReport> OutboxDelivery::flush(UnixSeconds now, bool ignore_schedule) {
    if (!config_)
        return Error::PlatformUnavailable("no platform URL: set --platform-url or SHOPCTL_PLATFORM_URL");
    FlushReport report;
    constexpr int64_t kClaimBatch = 100;
    int64_t after_id = 0;  // each row is tried at most once per flush, oldest first
    for (;;) {
        auto rows = store_.claim_outbox(now, ignore_schedule, after_id, kClaimBatch);
        if (!rows) return rows.error();
        if (rows->empty()) break;
        for (const db::OutboxRow& row : *rows) {
            after_id = row.id;
            ++report.tried;
            auto state = deliver(row, now, nullptr);
            if (!state) return state.error();
            if (state->status == "SENT") ++report.delivered;
            else ++report.failed;
            if (state->status == "DEAD") ++report.dead;
            auto after = store_.outbox_row(row.id);
            if (after) report.rows.push_back(*after);
        }
    }
    return report;
}

}  // namespace shopctl::service
