// The platform outbox: rows written with their order, claimed by a sender in a
// short transaction, then marked sent or failed (DEAD after the last attempt).
#include "core/backoff.h"
#include "core/outbox_rules.h"
#include "db/row_readers.h"
#include "db/row_writers.h"
#include "db/sql_store.h"

namespace shopctl::db {

int64_t SqlStore::add_outbox_row(int64_t order_id, const char* event, int64_t event_no, const std::string& payload,
                                    UnixSeconds now, const std::optional<OutboxLease>& lease) {
    auto& outbox = prepared(
        SHOPCTL_INSERT_OUTBOX_ROW "VALUES (:order, :event, :no, :payload, 'PENDING', 0, :at, :until, :token, :at) "
        "RETURNING id");
    outbox.bind(":order", order_id);
    outbox.bind(":event", event);
    outbox.bind(":no", event_no);
    outbox.bind(":payload", payload);
    outbox.bind(":at", format_timestamp(now));
    bind_optional(outbox, ":until", lease ? std::optional<std::string>(format_timestamp(lease->until)) : std::nullopt);
    bind_optional(outbox, ":token", lease ? std::optional<std::string>(lease->token) : std::nullopt);
    outbox.executeStep();
    const int64_t id = outbox.getColumn(0).getInt64();
    outbox.reset();
    return id;
}

OutboxRow SqlStore::read_outbox_row(sql::Statement& s) {
    return OutboxRow{s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), s.getColumn(2).getString(),
                     s.getColumn(3).getString(), s.getColumn(4).getString(), s.getColumn(5).getInt64(),
                     optional_text(s, 6),        optional_text(s, 7),        optional_text(s, 8),
                     s.getColumn(9).getString(), s.getColumn(10).getInt64()};
}

Result<std::vector<OutboxRow>> SqlStore::list_outbox(const OutboxFilter& filter) {
    return run<std::vector<OutboxRow>>([&]() -> Result<std::vector<OutboxRow>> {
        ReadScope scope(*this);
        auto& s = prepared(
            "SELECT id, order_id, event, payload, status, attempts, last_error, next_attempt_at, sent_at, created_at, event_no "
            "FROM platform_outbox WHERE (CAST(:status AS TEXT) IS NULL OR status = :status) AND id > :after "
            "ORDER BY id LIMIT :limit");
        bind_optional(s, ":status", filter.status);
        s.bind(":after", filter.after_id);
        s.bind(":limit", filter.limit);
        std::vector<OutboxRow> out;
        while (s.executeStep()) out.push_back(read_outbox_row(s));
        return out;
    });
}

Result<OutboxRow> SqlStore::outbox_row(int64_t outbox_id) {
    return run<OutboxRow>([&]() -> Result<OutboxRow> {
        ReadScope scope(*this);
        auto& s = prepared(
            "SELECT id, order_id, event, payload, status, attempts, last_error, next_attempt_at, sent_at, created_at, event_no "
            "FROM platform_outbox WHERE id = :id");
        s.bind(":id", outbox_id);
        if (!s.executeStep()) return Error::InvalidInput("outbox row " + std::to_string(outbox_id) + " does not exist");
        return read_outbox_row(s);
    });
}

// A row no live lease holds: never claimed, its lease over by the real clock, or let go.
#define SHOPCTL_UNHELD "(claimed_until IS NULL OR claimed_until <= :real_now)"

Result<std::vector<OutboxRow>> SqlStore::claim_outbox(UnixSeconds now, bool ignore_schedule, int64_t after_id,
                                                         int64_t limit, const OutboxLease& lease, UnixSeconds real_now) {
    return run<std::vector<OutboxRow>>([&]() -> Result<std::vector<OutboxRow>> {
        WriteScope scope(*this);
        auto& s = prepared(
            "SELECT id, order_id, event, payload, status, attempts, last_error, next_attempt_at, sent_at, created_at, event_no "
            "FROM platform_outbox WHERE status = 'PENDING' AND id > :after AND (:all = 1 OR next_attempt_at <= :now) "
            "AND " SHOPCTL_UNHELD " ORDER BY id LIMIT :limit /*pg FOR UPDATE SKIP LOCKED */");
        s.bind(":all", ignore_schedule ? 1 : 0);
        s.bind(":now", format_timestamp(now));
        s.bind(":real_now", format_timestamp(real_now));
        s.bind(":after", after_id);
        s.bind(":limit", limit);
        std::vector<OutboxRow> rows;
        while (s.executeStep()) rows.push_back(read_outbox_row(s));
        for (const auto& row : rows) {
            auto& claim = prepared("UPDATE platform_outbox SET claimed_until = :until, claim_token = :token WHERE id = :id");
            claim.bind(":until", format_timestamp(lease.until));
            claim.bind(":token", lease.token);
            claim.bind(":id", row.id);
            claim.exec();
        }
        scope.commit();
        return rows;
    });
}

Result<std::vector<OutboxRow>> SqlStore::claim_outbox_rows(const std::vector<int64_t>& ids, const OutboxLease& lease,
                                                              UnixSeconds real_now) {
    return run<std::vector<OutboxRow>>([&]() -> Result<std::vector<OutboxRow>> {
        WriteScope scope(*this);
        std::vector<int64_t> claimed;
        for (int64_t id : ids) {
            auto& claim = prepared(
                "UPDATE platform_outbox SET claimed_until = :until, claim_token = :token "
                "WHERE id = :id AND status = 'PENDING' AND " SHOPCTL_UNHELD);
            claim.bind(":until", format_timestamp(lease.until));
            claim.bind(":token", lease.token);
            claim.bind(":id", id);
            claim.bind(":real_now", format_timestamp(real_now));
            if (claim.exec() == 1) claimed.push_back(id);
        }
        std::vector<OutboxRow> rows;
        for (int64_t id : claimed) {
            auto& s = prepared(
                "SELECT id, order_id, event, payload, status, attempts, last_error, next_attempt_at, sent_at, created_at, event_no "
                "FROM platform_outbox WHERE id = :id");
            s.bind(":id", id);
            if (s.executeStep()) rows.push_back(read_outbox_row(s));
        }
        scope.commit();
        return rows;
    });
}
#undef SHOPCTL_UNHELD

Status SqlStore::release_outbox(const std::string& token) {
    return run<Ok>([&]() -> Status {
        WriteScope scope(*this);
        auto& s = prepared(
            "UPDATE platform_outbox SET claimed_until = NULL, claim_token = NULL "
            "WHERE claim_token = :token AND status = 'PENDING'");
        s.bind(":token", token);
        s.exec();
        scope.commit();
        return Ok{};
    });
}

Status SqlStore::record_deliveries(const std::vector<DeliveryOutcome>& outcomes, UnixSeconds now,
                                      const std::string& token) {
    return run<Ok>([&]() -> Status {
        WriteScope scope(*this);
        const std::string at = format_timestamp(now);
        for (const DeliveryOutcome& o : outcomes) {
            if (o.delivered) {
                auto& s = prepared(
                    "UPDATE platform_outbox SET status = 'SENT', attempts = attempts + 1, sent_at = :now, "
                    "last_error = NULL, claimed_until = NULL, claim_token = NULL WHERE id = :id AND claim_token = :token");
                s.bind(":now", at);
                s.bind(":id", o.outbox_id);
                s.bind(":token", token);
                s.exec();
                continue;
            }
            auto& get = prepared("SELECT attempts FROM platform_outbox WHERE id = :id AND claim_token = :token /*pg FOR UPDATE */");
            get.bind(":id", o.outbox_id);
            get.bind(":token", token);
            if (!get.executeStep()) continue;  // the lease was lost: the row is another sender's now
            const int64_t attempts = get.getColumn(0).getInt64() + 1;
            get.reset();
            auto& s = prepared(
                "UPDATE platform_outbox SET attempts = :attempts, last_error = :error, status = :status, "
                "next_attempt_at = :next, claimed_until = NULL, claim_token = NULL WHERE id = :id");
            s.bind(":attempts", attempts);
            s.bind(":error", o.error);
            s.bind(":status", outbox_status_after_failure(attempts));
            s.bind(":next", format_timestamp(next_attempt_at(now, attempts, o.jitter)));
            s.bind(":id", o.outbox_id);
            s.exec();
        }
        scope.commit();
        return Ok{};
    });
}

namespace {
// A retried row: due now, with attempts from 0 and no claim on it.
constexpr char kRequeueOutboxRow[] =
    "UPDATE platform_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = :now, claimed_until = NULL, "
    "claim_token = NULL WHERE id = :id";
}  // namespace

Result<OutboxRow> SqlStore::retry_outbox(int64_t outbox_id, UnixSeconds now) {
    auto requeued = run<Ok>([&]() -> Status {
        WriteScope scope(*this);
        auto& get = prepared("SELECT status FROM platform_outbox WHERE id = :id /*pg FOR UPDATE */");
        get.bind(":id", outbox_id);
        if (!get.executeStep()) return Error::InvalidInput("outbox row " + std::to_string(outbox_id) + " does not exist");
        const std::string status = get.getColumn(0).getString();
        get.reset();
        if (auto retryable = check_retryable(outbox_id, status); !retryable) return retryable.error();
        auto& s = prepared(kRequeueOutboxRow);
        s.bind(":now", format_timestamp(now));
        s.bind(":id", outbox_id);
        s.exec();
        scope.commit();
        return Ok{};
    });
    if (!requeued) return requeued.error();
    return outbox_row(outbox_id);
}

Result<std::vector<OutboxRow>> SqlStore::retry_dead_outbox(UnixSeconds now) {
    std::vector<int64_t> ids;
    auto requeued = run<Ok>([&]() -> Status {
        WriteScope scope(*this);
        ids.clear();
        auto& dead = prepared("SELECT id FROM platform_outbox WHERE status = 'DEAD' ORDER BY id /*pg FOR UPDATE */");
        while (dead.executeStep()) ids.push_back(dead.getColumn(0).getInt64());
        dead.reset();
        for (int64_t id : ids) {
            auto& s = prepared(kRequeueOutboxRow);
            s.bind(":now", format_timestamp(now));
            s.bind(":id", id);
            s.exec_later(1);
        }
        scope.commit();
        return Ok{};
    });
    if (!requeued) return requeued.error();
    std::vector<OutboxRow> rows;
    for (int64_t id : ids) {
        auto row = outbox_row(id);
        if (!row) return row.error();
        rows.push_back(std::move(*row));
    }
    return rows;
}

}  // namespace shopctl::db
