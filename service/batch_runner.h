// BatchRunner: checks out a stream of carts, each atomic on its own, with group
// commit: up to `commit_every` carts share one transaction, each in its own
// SAVEPOINT, so a failing cart rolls back alone. A cart's result is handed out only
// after its transaction committed (so printed results are exactly the orders that
// exist, even after a crash), and platform pushes happen after the commit, over one
// reused connection, never inside a transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "db/store.h"
#include "service/outbox_delivery.h"

namespace shopctl::service {

inline constexpr int64_t kDefaultCommitEvery = 256;

struct BatchResult {
    int64_t line = 0;
    bool ok = false;
    Receipt receipt;  // when ok
    Error error{ErrorCode::StoreError, ""};  // when not ok
    Json to_json() const;
    std::string to_line() const;  // the same as one line of text
};

struct BatchSummary {
    int64_t carts = 0;
    int64_t ok = 0;
    std::map<std::string, int64_t> failed_by_code;
    int64_t failed() const;

    // Time per cart (its checkout, and the group's commit when it closed one), in a
    // fixed histogram so memory does not grow with the input: 1 us buckets to 100 ms.
    std::vector<uint32_t> latency_us = std::vector<uint32_t>(100001, 0);
    void record_latency(int64_t micros);
    int64_t latency_percentile_us(double p) const;
};

class BatchRunner {
public:
    using Emit = std::function<void(const BatchResult&)>;

    BatchRunner(db::Store& store, OutboxDelivery& delivery, UnixSeconds now, int64_t commit_every, Emit emit);

    // Adds the cart of one input line. Its result is emitted at the next commit.
    void add(int64_t line, const std::string& text);
    // Commits the open group (if any) and emits its results. Call before waiting for
    // more input and at the end.
    void commit();

    const BatchSummary& summary() const { return summary_; }

private:
    void add_timed(int64_t line, const std::string& text);
    void finish(BatchResult result);
    void emit_pending();

    db::Store& store_;
    OutboxDelivery& delivery_;
    UnixSeconds now_;
    int64_t commit_every_;
    Emit emit_;
    bool group_open_ = false;
    int64_t in_group_ = 0;
    std::vector<BatchResult> pending_;
    std::vector<std::pair<size_t, int64_t>> pending_pushes_;  // index in pending_, outbox id
    BatchSummary summary_;
};

}  // namespace shopctl::service
