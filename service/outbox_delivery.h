// OutboxDelivery: pushes outbox rows to the data platform after their transaction
// has committed, and records the outcome on the row (SENT, or one more failed
// attempt with its backoff). Never called inside a transaction. The client (and its
// connection) is made on first use and reused for every row after.
// Leases: a row is pushed only under this sender's lease (a random token), taken by
// the real clock for long enough to cover the pushes it is for (connect and request
// timeouts and a margin, per row), and checked before each push; only the lease
// holder marks a row. So two senders never push one row at the same time.
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
std::string idempotency_key_for(int64_t order_id, const std::string& event, int64_t event_no);

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

    // A lease for pushing `rows` rows, from the real clock now (nullopt with no URL:
    // nothing will be pushed, so nothing is held). Pass it to the write that creates
    // the row, then deliver() under it.
    std::optional<db::OutboxLease> lease_for(int64_t rows);

    // Pushes one row held by this sender's lease; returns the platform block for the
    // receipt. With no URL configured, or too little lease left for one more push,
    // nothing is tried and the row's state comes back (QUEUED: `outbox flush` sends it).
    // `warn` gets a one-line message when the push failed.
    Result<PlatformState> deliver(const db::OutboxRow& row, UnixSeconds now,
                                  const std::function<void(const std::string&)>& warn);
    Result<PlatformState> deliver(int64_t outbox_id, UnixSeconds now,
                                  const std::function<void(const std::string&)>& warn);
    // Claims the rows (those no other sender holds) and pushes them (a batch group).
    Status deliver_rows(const std::vector<int64_t>& outbox_ids, const std::function<UnixSeconds()>& clock,
                        const std::function<bool()>& stop);

    // `outbox flush`: claims due rows in small batches and pushes them, oldest first.
    // `progress` hears the report so far after each batch.
    Result<FlushReport> flush(UnixSeconds now, bool ignore_schedule,
                              const std::function<void(const FlushReport&)>& progress = nullptr);

    // Seconds one push may take: connect and request timeouts, and a margin.
    int64_t seconds_per_push() const;

private:
    Result<platform::PlatformClient*> client();
    // Posts one row held by this sender's lease; nullopt when nothing was tried (no URL,
    // or too little lease left). Records nothing.
    Result<std::optional<db::DeliveryOutcome>> push(const db::OutboxRow& row);
    // Pushes claimed rows in order (until `stop` or the lease runs short), records the
    // pushes in one transaction and lets the rest go. Returns what was pushed.
    Result<std::vector<db::DeliveryOutcome>> push_claimed(const std::vector<db::OutboxRow>& rows, UnixSeconds now,
                                                          const std::function<bool()>& stop);
    bool lease_covers_a_push() const;

    db::Store& store_;
    std::optional<platform::PlatformConfig> config_;
    std::unique_ptr<platform::PlatformClient> client_;
    std::string token_;
    UnixSeconds lease_until_ = 0;
};

// The real clock (leases never follow --now).
UnixSeconds real_now();

}  // namespace shopctl::service
