// OutboxDelivery: pushes outbox rows to the data platform after their transaction
// has committed, and records the outcome on the row (SENT, or one more failed
// attempt with its backoff). Never called inside a transaction. The client (and its
// connection) is made on first use and reused for every row after.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/receipt.h"
#include "db/store.h"
#include "platform/platform_client.h"

namespace shopctl::service {

// The Idempotency-Key of an outbox event (the same on every retry).
std::string idempotency_key_for(int64_t order_id, const std::string& event);

struct FlushReport {
    int64_t tried = 0;
    int64_t delivered = 0;
    int64_t failed = 0;
    int64_t dead = 0;
    std::vector<db::OutboxRow> rows;  // as they are after the attempt
};

class OutboxDelivery {
public:
    OutboxDelivery(db::Store& store, std::optional<platform::PlatformConfig> config);

    bool configured() const { return config_.has_value(); }

    // Pushes one row; returns the platform block for the receipt. With no URL
    // configured nothing is tried and the state is QUEUED with 0 attempts.
    // `warn` gets a one-line message when the push failed.
    Result<PlatformState> deliver(const db::OutboxRow& row, UnixSeconds now,
                                  const std::function<void(const std::string&)>& warn);
    Result<PlatformState> deliver(int64_t outbox_id, UnixSeconds now,
                                  const std::function<void(const std::string&)>& warn);

    // `outbox flush`: claims due rows in small batches and pushes them, oldest first.
    Result<FlushReport> flush(UnixSeconds now, bool ignore_schedule);

private:
    Result<platform::PlatformClient*> client();

    db::Store& store_;
    std::optional<platform::PlatformConfig> config_;
    std::unique_ptr<platform::PlatformClient> client_;
};

}  // namespace shopctl::service
