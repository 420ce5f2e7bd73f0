// BatchRunner: checks out a stream of carts, each atomic on its own, with group
// commit: up to `commit_every` carts share one transaction, each in its own
// SAVEPOINT, so a failing cart rolls back alone. Every line is parsed and validated
// when it is added, before any transaction is open, so no input holds the write lock.
// A group's results are handed out only after its transaction committed and synced
// (so printed results are exactly the orders that exist, even after a power cut);
// then its orders are pushed to the platform, never inside a transaction.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cart.h"
#include "core/json_reader.h"
#include "db/store.h"
#include "service/outbox_delivery.h"

namespace shopctl::service {

inline constexpr int64_t kDefaultCommitEvery = 256;
// Carts in hand are run once their text passes this, however few: memory stays bounded.
inline constexpr size_t kGroupTextBytes = 8 << 20;
// A group holds the locks of its carts' rows until it commits (on SQLite, the whole
// store's write lock): once it has been open this long it commits what it has and goes
// on in a new one, so another writer of those rows waits about this long at most.
inline constexpr std::chrono::milliseconds kGroupHoldTime{50};

struct BatchResult {
    int64_t line = 0;
    std::optional<std::string> idempotency_key;  // echoed, ok or not, when the line had one
    bool ok = false;
    Receipt receipt;  // when ok
    Error error{ErrorCode::StoreError, ""};  // when not ok
    std::string input;  // the line as read, when the runner keeps it (batch --rejects)
    Json to_json() const;
    std::string to_line() const;  // the same as one line of text
};

struct BatchSummary {
    int64_t carts = 0;
    int64_t ok = 0;
    int64_t replayed = 0;  // of ok: an earlier order's receipt, nothing new written
    std::map<std::string, int64_t> failed_by_code;
    int64_t failed() const;
    int64_t created() const { return ok - replayed; }

    // Time per cart (its checkout, and its share of the group's commit), in a fixed
    // histogram so memory does not grow with the input: 1 us buckets to 100 ms.
    std::vector<uint32_t> latency_us = std::vector<uint32_t>(100001, 0);
    void record_latency(int64_t micros);
    int64_t latency_percentile_us(double p) const;
};

class BatchRunner {
public:
    using Emit = std::function<void(const std::vector<BatchResult>&)>;
    using Clock = std::function<UnixSeconds()>;
    // Asked between carts: true drops the open group (rolled back, nothing printed).
    using Abandon = std::function<bool()>;

    BatchRunner(db::Store& store, OutboxDelivery& delivery, Clock clock, int64_t commit_every, Emit emit,
                Abandon abandon = nullptr);

    // Each result then carries its input line (for writing the failed ones out again).
    void keep_input(bool keep) { keep_input_ = keep; }
    // Parses the cart of one input line; it is checked out when its group runs.
    void add(int64_t line, std::string_view text);
    // A line refused before parsing (too long, say): answered in its place.
    void add_refused(int64_t line, Error error);
    // True when the carts in hand make a full group.
    bool group_full() const;
    // Runs the carts in hand as one group: checkouts, COMMIT, results out, then pushes
    // (unless `push` is false: the rows wait in the outbox for `outbox flush`).
    // False when the group was abandoned.
    bool run_group(bool push = true);

    const BatchSummary& summary() const { return summary_; }

private:
    struct InHand {
        BatchResult result;
        std::optional<Cart> cart;  // nullopt: refused already
    };
    // `next`: the group's cart after this one (or none), announced to the store.
    void check_out(InHand& cart, std::vector<int64_t>& pushes, const Cart* next);

    db::Store& store_;
    OutboxDelivery& delivery_;
    Clock clock_;
    int64_t commit_every_;
    Emit emit_;
    Abandon abandon_;
    std::vector<InHand> in_hand_;
    size_t carts_in_hand_ = 0;
    size_t bytes_in_hand_ = 0;
    bool keep_input_ = false;
    BatchSummary summary_;
};

}  // namespace shopctl::service
