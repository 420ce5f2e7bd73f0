#include "db/pg/pg_connection.h"


#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <thread>
#include <unordered_set>
#include <cctype>
#include <random>
#include <vector>
#include <cstdlib>
#include <cstring>

#include "db/guarded.h"
#include "db/pg/libpq.h"
#include "pg_schema_sql.h"

namespace shopctl::db::pg {

namespace {

// Set by connect(), which every way to a server goes through, before any other call.
const Libpq* pq = nullptr;

constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

// "host H port P database D": how errors name the server. Never the password.
std::string describe(PGconn* conn) {
    const char* host = pq->PQhost(conn);
    const char* port = pq->PQport(conn);
    const char* db = pq->PQdb(conn);
    return std::string("host ") + (host && *host ? host : "(default)") + " port " + (port && *port ? port : "5432") +
           " database " + (db && *db ? db : "(default)");
}

// libpq's messages run over several lines (a hint after the error): the first says it.
std::string first_line(const char* message) {
    std::string s = message ? message : "";
    s = s.substr(0, s.find('\n'));
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

sql::Failure failure_of(PGconn* conn, const PGresult* result) {
    using sql::FailureKind;
    if (pq->PQstatus(conn) != CONNECTION_OK)
        return {FailureKind::Lost, "lost the connection to the store (" + describe(conn) +
                                       "): " + first_line(pq->PQerrorMessage(conn))};
    const char* state = result ? pq->PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = result ? pq->PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const std::string message = primary ? primary : first_line(pq->PQerrorMessage(conn));
    const std::string code = state ? state : "";
    // The server is ending the session (shut down, restarted, the backend terminated)
    // or the link failed: the connection is as good as lost, whatever libpq says yet.
    if (code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03")
        return {FailureKind::Lost, message + " (" + describe(conn) + ")"};
    if (code == "40001" || code == "40P01") return {FailureKind::Retry, message};
    if (code == "23505") {
        // Another host's checkout with the same idempotency key committed first: run
        // this one again and it finds that order (a replay, or IDEMPOTENCY_CONFLICT).
        const char* constraint = pq->PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
        if (constraint && std::strcmp(constraint, "orders_idempotency_key") == 0) return {FailureKind::Retry, message};
    }
    if (code == "55P03" || code == "57014")
        return {FailureKind::Busy,
                "the store is busy: another process held the rows this needs past the busy timeout (" + message + ")"};
    if (code == "25006") return {FailureKind::ReadOnly, "the store is read-only (" + message + ")"};
    if (code == "53100") return {FailureKind::Full, "the disk or the store is full (" + message + ")"};
    if (code == "42P01" || code == "3F000")
        return {FailureKind::Other, message + " (" + describe(conn) + "): run `shopctl init` first"};
    return {FailureKind::Other, message};
}

// Owns a PGresult.
struct ResultPtr {
    PGresult* r = nullptr;
    explicit ResultPtr(PGresult* result = nullptr) : r(result) {}
    ~ResultPtr() { pq->PQclear(r); }
    ResultPtr(const ResultPtr&) = delete;
    ResultPtr& operator=(const ResultPtr&) = delete;
    void reset(PGresult* result = nullptr) {
        pq->PQclear(r);
        r = result;
    }
};

void check(PGconn* conn, const PGresult* result) {
    const auto status = pq->PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw failure_of(conn, result);
}

// The store's SQL as PostgreSQL takes it: ":name" parameters become $1, $2, ...
// (the same name, the same number), the text of "/*pg ... */" comments becomes part
// of the statement, and "/*sqlite*/..." up to the next "/*pg" is left out. Quoted
// strings and "::" casts are left alone.
std::string rewrite(const char* text, std::vector<std::string>& names) {
    std::string out;
    const std::string s = text;
    for (size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (c == '\'') {
            const size_t end = s.find('\'', i + 1);
            const size_t stop = end == std::string::npos ? s.size() : end + 1;
            out.append(s, i, stop - i);
            i = stop;
        } else if (s.compare(i, 10, "/*sqlite*/") == 0) {
            // SQLite's side of `/*sqlite*/A/*pg B */`: the server takes B.
            const size_t end = s.find("/*pg", i);
            i = end == std::string::npos ? s.size() : end;
        } else if (s.compare(i, 4, "/*pg") == 0) {
            const size_t end = s.find("*/", i);
            const size_t stop = end == std::string::npos ? s.size() : end;
            out += ' ';
            out.append(s, i + 4, stop - (i + 4));
            i = stop == s.size() ? stop : stop + 2;
        } else if (c == ':' && i + 1 < s.size() && s[i + 1] == ':') {
            out += "::";
            i += 2;
        } else if (c == ':' && i + 1 < s.size() && (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '_')) {
            size_t j = i + 1;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
            const std::string name = s.substr(i, j - i);
            size_t index = 0;
            while (index < names.size() && names[index] != name) ++index;
            if (index == names.size()) names.push_back(name);
            out += '$' + std::to_string(index + 1);
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

}  // namespace

// Where a queued query's answer goes (PgStatement, below).
struct AnswerSink {
    virtual ~AnswerSink() = default;
    // The next of its queued answers, in the order sent; `round` is the pipeline's.
    virtual void deliver(PGresult* result, uint64_t round) = 0;
    // A failed round trip: every queued answer is gone.
    virtual void drop_queued() = 0;
};

// libpq pipeline mode for statements whose answers can wait (exec_later, query_later,
// execute_later): they are sent at once and read back, in order, with the next
// statement that needs an answer (or the COMMIT), so a checkout's reads cost one round
// trip and its writes one more, not one each.
struct Pipeline {
    struct Pending {
        int expected_changes;       // -1: any
        bool keep;                  // the answer the caller waits for
        std::string what;
        AnswerSink* sink = nullptr;      // a queued query's rows go there
        bool contended_if_busy = false;  // a NOWAIT row lock: a taken row is Contended
        std::string prepares;            // the name of the statement this prepares, if it does
    };
    PGconn* conn = nullptr;
    uint64_t generation = 0;  // connections so far: a statement prepared on an earlier one is not on this one
    bool needs_new_connection = false;  // a failure said this one is gone: the next transaction connects again
    bool active = false;
    uint64_t round = 0;  // round trips so far (any, in the pipeline or not): an answer from an earlier one is stale
    std::vector<Pending> pending;
    // Statements whose prepare was sent but not done (skipped after an earlier failure
    // in its round trip): each prepares again before its next run.
    std::unordered_set<std::string> not_prepared;

    void enter() {
        if (active) return;
        if (!pq->PQenterPipelineMode(conn)) throw failure_of(conn, nullptr);
        active = true;
    }
    // The connection is gone: nothing sent on it will be answered, nothing prepared on
    // it exists on the next one.
    void abandon() {
        for (const Pending& p : pending)
            if (p.sink) p.sink->drop_queued();
        pending.clear();
        active = false;
        needs_new_connection = false;
        ++round;
        not_prepared.clear();
    }
    void expect(int expected_changes, bool keep, std::string what, AnswerSink* sink = nullptr,
                bool contended_if_busy = false) {
        pending.push_back({expected_changes, keep, std::move(what), sink, contended_if_busy, {}});
    }
    // Sends a sync and reads every answer; returns the one marked `keep` (the caller
    // owns it). The first failure is thrown after all answers are read.
    PGresult* flush() {
        if (!active) return nullptr;
        ++round;
        std::optional<sql::Failure> first;
        PGresult* kept = nullptr;
        // Answers that stop coming (a sync not sent, a result or the sync missing): the
        // connection is gone, whatever libpq says of it yet.
        const auto gone = [this](const PGresult* result) {
            sql::Failure f = failure_of(conn, result);
            return f.kind == sql::FailureKind::Other ? sql::Failure(sql::FailureKind::Lost, f.what()) : f;
        };
        bool lost = !pq->PQpipelineSync(conn);
        if (lost) first = gone(nullptr);
        // Each command's answer (PIPELINE_ABORTED after a failure) and the NULL after
        // it, in order; then the sync.
        for (size_t k = 0; k < pending.size() && !lost; ++k) {
            const Pending& p = pending[k];
            PGresult* r = pq->PQgetResult(conn);
            if (!r) {
                lost = true;
                if (!first) first = gone(nullptr);
                break;
            }
            const auto status = pq->PQresultStatus(r);
            if (!p.prepares.empty() && status != PGRES_COMMAND_OK) not_prepared.insert(p.prepares);
            if (status == PGRES_PIPELINE_ABORTED) {
                // skipped after an earlier failure on the server, which is already recorded
            } else if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
                if (!first) first = failure_of(conn, r);
                if (p.contended_if_busy && first->kind == sql::FailureKind::Busy)
                    first = sql::Failure(sql::FailureKind::Contended, first->what());
            } else if (p.keep) {  // kept even after a failure: a COMMIT that ran must be known
                kept = r;
                r = nullptr;
            } else if (first) {
                // not wanted after a failure
            } else if (p.sink) {
                p.sink->deliver(r, round);
                r = nullptr;
            } else if (p.expected_changes >= 0 && std::atoi(pq->PQcmdTuples(r)) != p.expected_changes) {
                first = sql::Failure(sql::FailureKind::Other, "a guarded write changed " +
                                                                  std::string(pq->PQcmdTuples(r)) + " rows, not " +
                                                                  std::to_string(p.expected_changes) + ": " + p.what);
            }
            pq->PQclear(r);
            pq->PQclear(pq->PQgetResult(conn));  // the NULL that ends each answer
        }
        if (lost)  // answers never read: their prepares may not have happened either
            for (const Pending& p : pending)
                if (!p.prepares.empty()) not_prepared.insert(p.prepares);
        if (!lost) {
            PGresult* sync = pq->PQgetResult(conn);
            if (!sync || pq->PQresultStatus(sync) != PGRES_PIPELINE_SYNC) {
                lost = true;
                if (!first) first = gone(sync);
            }
            pq->PQclear(sync);
        }
        // A COMMIT sent with the writes runs unless one of them failed on the server; a
        // write that changed another number of rows than expected (no server error) was
        // committed all the same, and must say so.
        // A connection lost after the COMMIT's answer came lost nothing of the transaction.
        const bool committed = kept && std::strcmp(pq->PQcmdStatus(kept), "COMMIT") == 0;
        if (lost || (first && first->kind == sql::FailureKind::Lost)) needs_new_connection = true;
        if (first && committed && first->kind == sql::FailureKind::Lost) first.reset();
        if (first && committed)
            first = sql::Failure(sql::FailureKind::Other,  // never run again: it is done
                                 std::string(first->what()) + " (the transaction was committed: run `shopctl verify`)");
        std::vector<Pending> done;
        done.swap(pending);
        pq->PQexitPipelineMode(conn);
        active = false;
        if (first) {
            for (const Pending& p : done)
                if (p.sink) p.sink->drop_queued();
            pq->PQclear(kept);
            throw *first;
        }
        return kept;
    }
};

namespace {

class PgStatement final : public sql::Statement, AnswerSink {
public:
    PgStatement(Pipeline& pipeline, const char* text, std::string name)
        : pipeline_(pipeline), name_(std::move(name)), text_(rewrite(text, names_)),
          values_(names_.size()), nulls_(names_.size(), true), types_(names_.size(), 0) {}
    ~PgStatement() override { drop_queued(); }

    void exec_later(int expected_changes) override {
        send_in_pipeline();
        pipeline_.expect(expected_changes, false, text_);
    }
    // exec_later for a row lock: any number of rows; with NOWAIT a taken row is Contended.
    void lock_later(bool nowait) {
        send_in_pipeline();
        pipeline_.expect(-1, false, text_, nullptr, nowait);
    }
    void write_returning_later() override { query_later(); }
    bool answered() const override {
        return !queued_.empty() && queued_.front().delivered && queued_.front().round == pipeline_.round;
    }
    void query_later() override {
        drop_stale();
        send_in_pipeline();
        queued_.push_back({values_, nulls_, nullptr, 0, false});
        pipeline_.expect(-1, false, text_, this);
    }

    void bind(const char* name, int64_t value) override { set(name, std::to_string(value), kInt8Oid); }
    void bind(const char* name, const std::string& value) override { set(name, value, kTextOid); }
    void bind(const char* name) override { nulls_[index_of(name)] = true; }

    bool executeStep() override {
        if (!result_.r) {
            drop_stale();
            if (queued_.empty()) run();
            else take_queued();
        }
        return ++row_ < pq->PQntuples(result_.r);
    }
    int exec() override {
        run();
        const int changed = std::atoi(pq->PQcmdTuples(result_.r));
        reset();
        return changed;
    }
    void reset() override {
        result_.reset();
        row_ = -1;
    }
    void clearBindings() override { std::fill(nulls_.begin(), nulls_.end(), true); }

    int64_t column_int64(int index) override {
        const char* v = value(index);
        if (v[0] == 't' && v[1] == '\0') return 1;  // a boolean column
        if (v[0] == 'f' && v[1] == '\0') return 0;
        return std::strtoll(v, nullptr, 10);
    }
    std::string column_text(int index) override { return value(index); }
    bool column_null(int index) override { return pq->PQgetisnull(result_.r, row_, index) == 1; }

    void deliver(PGresult* result, uint64_t round) override {
        for (Queued& q : queued_)
            if (!q.delivered) {
                q.result = result;
                q.round = round;
                q.delivered = true;
                return;
            }
        pq->PQclear(result);  // not waited for (cannot happen: one answer per query sent)
    }
    void drop_queued() override {
        for (Queued& q : queued_) pq->PQclear(q.result);
        queued_.clear();
    }

private:
    // A query sent ahead, with the values it was sent with, and its answer once read.
    struct Queued {
        std::vector<std::string> values;
        std::vector<bool> nulls;
        PGresult* result;
        uint64_t round;
        bool delivered;
    };

    // Answers read in an earlier round trip than the last were never asked for.
    void drop_stale() {
        while (!queued_.empty() && queued_.front().delivered && queued_.front().round != pipeline_.round) {
            pq->PQclear(queued_.front().result);
            queued_.pop_front();
        }
    }
    // The oldest queued answer, read with the next round trip if not yet here. Its
    // values must be the ones bound now: anything else is the store code reading its
    // queued queries out of order, which must not pass silently.
    void take_queued() {
        Queued& q = queued_.front();
        bool same = q.nulls == nulls_;
        for (size_t i = 0; same && i < values_.size(); ++i) same = nulls_[i] || q.values[i] == values_[i];
        if (!same) {
            drop_queued();
            throw sql::Failure(sql::FailureKind::Other, "a query sent ahead was read with other values: " + text_);
        }
        if (!q.delivered) pq->PQclear(pipeline_.flush());  // delivers it, or throws
        if (queued_.empty() || !queued_.front().delivered)
            throw sql::Failure(sql::FailureKind::Other, "a query sent ahead got no answer: " + text_);
        result_.reset(queued_.front().result);
        queued_.pop_front();
        row_ = -1;
    }
    // A prepare that a failed round trip skipped did not happen, and one made on a
    // connection since replaced is not on this one: prepare again.
    void forget_lost_prepare() {
        if (prepared_ && prepared_on_ != pipeline_.generation) prepared_ = false;
        if (prepared_ && !pipeline_.not_prepared.empty() && pipeline_.not_prepared.erase(name_) > 0) prepared_ = false;
    }
    size_t index_of(const char* name) const {
        for (size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return i;
        throw sql::Failure(sql::FailureKind::Other, std::string("statement has no parameter ") + name);
    }
    void set(const char* name, std::string value, Oid type) {
        const size_t i = index_of(name);
        values_[i] = std::move(value);
        nulls_[i] = false;
        if (runs_ == 0) types_[i] = type;
    }
    const char* value(int index) {
        if (row_ < 0 || row_ >= pq->PQntuples(result_.r) || index >= pq->PQnfields(result_.r))
            throw sql::Failure(sql::FailureKind::Other, "no such column or row");
        return pq->PQgetvalue(result_.r, row_, index);
    }
    // The first run sends the text with its values (one round trip); a statement run
    // again is prepared then, with the types of the first run's bound values (an
    // unbound parameter's type is left to the server to infer from where it stands), so
    // a one-order process pays no extra round trip per statement and a batch parses none twice.
    // Sends the statement in pipeline mode (prepared first, in the same pipeline, if new).
    void send_in_pipeline() {
        pipeline_.enter();
        forget_lost_prepare();
        if (!prepared_) {
            if (!pq->PQsendPrepare(conn(), name_.c_str(), text_.c_str(), static_cast<int>(names_.size()), types_.data()))
                throw failure_of(conn(), nullptr);
            pipeline_.expect(-1, false, "prepare " + name_);
            pipeline_.pending.back().prepares = name_;
            prepared_ = true;
            prepared_on_ = pipeline_.generation;
        }
        ++runs_;
        std::vector<const char*> params(names_.size());
        for (size_t i = 0; i < names_.size(); ++i) params[i] = nulls_[i] ? nullptr : values_[i].c_str();
        if (!pq->PQsendQueryPrepared(conn(), name_.c_str(), static_cast<int>(params.size()), params.data(), nullptr,
                                     nullptr, 0))
            throw failure_of(conn(), nullptr);
    }

    void run() {
        row_ = -1;
        if (pipeline_.active) {
            // Writes are waiting: this statement goes with them, one round trip for all.
            send_in_pipeline();
            pipeline_.expect(-1, true, text_);
            result_.reset(pipeline_.flush());
            return;
        }
        ++pipeline_.round;  // answers read before it are stale now
        std::vector<const char*> params(names_.size());
        for (size_t i = 0; i < names_.size(); ++i) params[i] = nulls_[i] ? nullptr : values_[i].c_str();
        if (runs_++ == 0) {
            result_.reset(pq->PQexecParams(conn(), text_.c_str(), static_cast<int>(params.size()), types_.data(),
                                           params.data(), nullptr, nullptr, 0));
        } else {
            forget_lost_prepare();
            if (!prepared_) {
                ResultPtr prep(pq->PQprepare(conn(), name_.c_str(), text_.c_str(), static_cast<int>(names_.size()),
                                             types_.data()));
                check(conn(), prep.r);
                prepared_ = true;
                prepared_on_ = pipeline_.generation;
            }
            result_.reset(pq->PQexecPrepared(conn(), name_.c_str(), static_cast<int>(params.size()), params.data(),
                                             nullptr, nullptr, 0));
        }
        row_ = -1;
        if (pq->PQresultStatus(result_.r) != PGRES_COMMAND_OK && pq->PQresultStatus(result_.r) != PGRES_TUPLES_OK) {
            sql::Failure f = failure_of(conn(), result_.r);
            if (f.kind == sql::FailureKind::Lost) pipeline_.needs_new_connection = true;
            reset();
            throw f;
        }
    }

    PGconn* conn() const { return pipeline_.conn; }  // the connection's current one

    Pipeline& pipeline_;
    std::string name_;
    std::vector<std::string> names_;
    std::string text_;
    std::vector<std::string> values_;
    std::vector<bool> nulls_;
    std::vector<Oid> types_;
    bool prepared_ = false;
    uint64_t prepared_on_ = 0;  // the pipeline's generation when prepared
    int runs_ = 0;
    ResultPtr result_;
    int row_ = -1;
    std::deque<Queued> queued_;
};

// Runs a command without parameters now: with whatever waits in the pipeline, in one
// round trip, or alone (then several statements are allowed). The caller owns the answer.
PGresult* run_command(PGconn* conn, Pipeline& pipeline, const char* text) {
    if (!pipeline.active) {
        ++pipeline.round;  // answers read before it are stale now
        return pq->PQexec(conn, text);
    }
    if (!pq->PQsendQueryParams(conn, text, 0, nullptr, nullptr, nullptr, nullptr, 0)) throw failure_of(conn, nullptr);
    pipeline.expect(-1, true, text);
    return pipeline.flush();
}

// Runs SQL without parameters (several statements allowed); throws on failure.
void exec_simple(PGconn* conn, const std::string& text) {
    ResultPtr r(pq->PQexec(conn, text.c_str()));
    check(conn, r.r);
}

// Connects: libpq's own environment and files (PGPASSWORD, ~/.pgpass, sslmode, ...)
// apply; a connect_timeout in the URI wins over the 10 s default here.
Result<PGconn*> connect(const StoreOptions& options) {
    std::string load_error;
    pq = load_libpq(load_error);
    if (!pq) return Error::StoreError(load_error);
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"10", "shopctl", options.location.c_str(), nullptr};
    PGconn* conn = pq->PQconnectdbParams(keys, values, 1);
    if (!conn) return Error::StoreError("cannot connect to the store: out of memory");
    if (pq->PQstatus(conn) != CONNECTION_OK) {
        const std::string where = describe(conn);
        std::string why = first_line(pq->PQerrorMessage(conn));
        pq->PQfinish(conn);
        return Error::StoreError("cannot connect to the store at " + where + ": " + why);
    }
    // Each wait for a row lock is bounded by the busy timeout (lock_not_available, then
    // STORE_BUSY); a server whose default is to confirm commits late still confirms
    // ours before shopctl prints a receipt. (PostgreSQL reads a lock_timeout of 0 as
    // "wait for ever"; --busy-timeout 0 means "do not wait".)
    const std::string setup = "SET lock_timeout = " + std::to_string(std::max(1, options.busy_timeout_ms)) +
                              "; SELECT set_config('synchronous_commit', 'on', false) "
                              "WHERE current_setting('synchronous_commit') IN ('off', 'local')";
    ResultPtr r(pq->PQexec(conn, setup.c_str()));
    if (pq->PQresultStatus(r.r) != PGRES_TUPLES_OK && pq->PQresultStatus(r.r) != PGRES_COMMAND_OK) {
        const std::string why = failure_of(conn, r.r).what();
        pq->PQfinish(conn);
        return Error::StoreError("cannot set up the connection to the store: " + why);
    }
    return conn;
}

// The schema version in the connection's schema; 0 when there are no shopctl tables.
int schema_version(PGconn* conn) {
    ResultPtr r(pq->PQexec(conn, "SELECT to_regclass('shopctl_schema') IS NOT NULL"));
    check(conn, r.r);
    if (std::strcmp(pq->PQgetvalue(r.r, 0, 0), "t") != 0) return 0;
    r.reset(pq->PQexec(conn, "SELECT max(version) FROM shopctl_schema"));
    check(conn, r.r);
    return pq->PQgetisnull(r.r, 0, 0) ? 0 : std::atoi(pq->PQgetvalue(r.r, 0, 0));
}

// Creates the tables under a transaction-scoped advisory lock: a second `init` (on
// another host, say) waits for the first and then finds everything there.
int apply_schema(PGconn* conn) {
    exec_simple(conn, "BEGIN");
    try {
        exec_simple(conn, "SELECT pg_advisory_xact_lock(hashtext('shopctl init'))");
        const int before = schema_version(conn);
        if (before > kSchemaVersion)
            throw sql::Failure(sql::FailureKind::Other, "the database has shopctl schema version " +
                                                            std::to_string(before) + ", newer than this shopctl knows");
        if (before < kSchemaVersion) {
            exec_simple(conn, kPgSchemaSql);
            exec_simple(conn, "DELETE FROM shopctl_schema; INSERT INTO shopctl_schema (version) VALUES (" +
                                  std::to_string(kSchemaVersion) + ")");
        }
        exec_simple(conn, "COMMIT");
        return before;
    } catch (...) {
        pq->PQclear(pq->PQexec(conn, "ROLLBACK"));
        throw;
    }
}

}  // namespace

bool is_uri(const std::string& location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

namespace {

// Takes the write transaction's id from the answer sent ahead with its BEGIN.
struct XidSink final : AnswerSink {
    std::optional<std::string>& xid;
    explicit XidSink(std::optional<std::string>& target) : xid(target) {}
    void deliver(PGresult* result, uint64_t) override {
        if (pq->PQntuples(result) == 1 && !pq->PQgetisnull(result, 0, 0)) xid = pq->PQgetvalue(result, 0, 0);
        pq->PQclear(result);
    }
    void drop_queued() override {}
};

}  // namespace

PgConnection::PgConnection(PGconn* conn, StoreOptions options)
    : conn_(conn),
      pipeline_(std::make_unique<Pipeline>()),
      options_(std::move(options)),
      xid_sink_(std::make_unique<XidSink>(xid_)),
      backend_pid_(pq->PQbackendPID(conn)) {
    pipeline_->conn = conn;
}

PgConnection::~PgConnection() {
    lock_.reset();
    lock_nowait_.reset();
    try {
        pq->PQclear(pipeline_->flush());  // a BEGIN nothing followed, say
    } catch (const sql::Failure&) {
        // the server or the connection is gone; PQfinish below ends it either way
    }
    if (!owned_schema_.empty() && pq->PQstatus(conn_) == CONNECTION_OK) {
        pq->PQclear(pq->PQexec(conn_, "ROLLBACK"));
        const std::string drop = "DROP SCHEMA IF EXISTS \"" + owned_schema_ + "\" CASCADE";
        pq->PQclear(pq->PQexec(conn_, drop.c_str()));
    }
    pq->PQfinish(conn_);
}

std::unique_ptr<sql::Statement> PgConnection::prepare(const char* text) {
    return std::make_unique<PgStatement>(*pipeline_, text, "shopctl_" + std::to_string(++next_statement_));
}

void PgConnection::execute(const char* text) {
    try {
        ResultPtr r(run_command(conn_, *pipeline_, text));
        check(conn_, r.r);
    } catch (const sql::Failure& f) {
        if (f.kind == sql::FailureKind::Lost) pipeline_->needs_new_connection = true;
        throw;
    }
}

void PgConnection::execute_later(const char* text) {
    pipeline_->enter();
    if (!pq->PQsendQueryParams(conn_, text, 0, nullptr, nullptr, nullptr, nullptr, 0)) throw failure_of(conn_, nullptr);
    pipeline_->expect(-1, false, text);
}

void PgConnection::begin(sql::TransactionKind kind) {
    // A connection lost since the last transaction is replaced before this one starts:
    // nothing was open on it, so nothing is in doubt. A server that ended an idle
    // session (a restart, say) has said so on the socket: reading it shows the
    // connection lost now, not at this transaction's cost.
    if (pq->PQstatus(conn_) == CONNECTION_OK && !pipeline_->active) pq->PQconsumeInput(conn_);
    if ((pipeline_->needs_new_connection || pq->PQstatus(conn_) != CONNECTION_OK) && owned_schema_.empty()) {
        // Waits up to the busy timeout for the server to come back; once that was not
        // enough, one try a transaction, so a batch facing a server that stays down
        // fails its carts at once instead of waiting out the timeout for each.
        const auto wait = std::chrono::milliseconds(server_gone_ ? 0 : options_.busy_timeout_ms);
        const auto deadline = std::chrono::steady_clock::now() + wait;
        bool back = reconnect();
        while (!back && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            back = reconnect();
        }
        server_gone_ = !back;
    }
    xid_.reset();
    recovered_xid_.reset();
    // Writers: READ COMMITTED with row locks taken before the reads they depend on
    // (lock_rows), so each read after the lock sees the latest committed row. Readers:
    // one snapshot for all their statements, read-only (a hot standby serves them).
    // Either goes with the first statement that needs an answer.
    execute_later(kind == sql::TransactionKind::Write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                                      : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (kind == sql::TransactionKind::Write) {
        // Its id, for settling a COMMIT whose answer gets lost (commit()). A standby
        // assigns none (its writes fail as writes), so it is not asked there. Prepared
        // once a connection, as parsing it for every transaction costs the server more
        // than running it.
        constexpr const char* kXid = "shopctl_xid";
        if (xid_prepared_on_ != pipeline_->generation || pipeline_->not_prepared.erase(kXid) > 0) {
            if (!pq->PQsendPrepare(conn_, kXid, "SELECT pg_current_xact_id()::text WHERE NOT pg_is_in_recovery()", 0,
                                   nullptr))
                throw failure_of(conn_, nullptr);
            pipeline_->expect(-1, false, "prepare the transaction's id");
            pipeline_->pending.back().prepares = kXid;
            xid_prepared_on_ = pipeline_->generation;
        }
        if (!pq->PQsendQueryPrepared(conn_, kXid, 0, nullptr, nullptr, nullptr, 0)) throw failure_of(conn_, nullptr);
        pipeline_->expect(-1, false, "the transaction's id", xid_sink_.get());
    }
}

bool PgConnection::in_transaction() {
    // Commands waiting to be sent never end a transaction (COMMIT and ROLLBACK are
    // sent at once): with some queued, one is open, and asking the server would cost
    // a round trip (a group's next cart would wait for the last one's RELEASE).
    if (!pipeline_->pending.empty()) return true;
    return pq->PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

void PgConnection::commit() {
    try {
        // PostgreSQL ends a transaction that an error spoiled with a rollback, even when
        // asked to COMMIT, and reports success: only the "COMMIT" tag means it was kept.
        ResultPtr r(run_command(conn_, *pipeline_, "COMMIT"));
        check(conn_, r.r);
        if (std::strcmp(pq->PQcmdStatus(r.r), "COMMIT") != 0)
            throw sql::Failure(sql::FailureKind::Other,
                               "the transaction was rolled back by an earlier error: nothing in it was kept");
    } catch (const sql::Failure& f) {
        if (f.kind != sql::FailureKind::Lost) throw;  // the server answered: that is what happened
        settle_lost_commit(f.what());
    }
}

bool PgConnection::reconnect() {
    auto fresh = connect(options_);
    if (!fresh) return false;
    if (bulk_) {
        ResultPtr r(pq->PQexec(*fresh, "SET plan_cache_mode = force_generic_plan"));
    }
    pipeline_->abandon();  // a send that failed may have left commands queued for the old one
    pq->PQfinish(conn_);
    conn_ = *fresh;
    backend_pid_ = pq->PQbackendPID(conn_);
    pipeline_->conn = conn_;
    ++pipeline_->generation;  // every statement prepares again on it
    return true;
}

void PgConnection::settle_lost_commit(const std::string& lost) {
    const std::optional<std::string> xid = std::exchange(xid_, std::nullopt);
    const std::string where = describe(conn_);
    const std::string unknown =
        "lost the connection to the store (" + where + ") while the transaction committed, and could not learn " +
        "whether it was kept: look (`shopctl orders list`, `shopctl verify`) before running it again";
    // A scratch schema lives with its session: a replay has nothing to go back to.
    if (!xid || !owned_schema_.empty()) throw sql::Failure(sql::FailureKind::Other, unknown + " (" + lost + ")");
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(options_.busy_timeout_ms, 5000));
    std::string status;
    const std::string old_backend = std::to_string(backend_pid_);
    // Never on the old connection, even when libpq still calls it good: its session is ending.
    bool fresh = reconnect();
    bool ended_old = false;
    for (;;) {
        if (fresh || (fresh = reconnect())) {
            const char* values[] = {xid->c_str()};
            ResultPtr r(pq->PQexecParams(conn_, "SELECT pg_xact_status(CAST($1 AS xid8))", 1, nullptr, values,
                                         nullptr, nullptr, 0));
            if (pq->PQresultStatus(r.r) == PGRES_TUPLES_OK && pq->PQntuples(r.r) == 1)
                status = pq->PQgetisnull(r.r, 0, 0) ? "unknown" : pq->PQgetvalue(r.r, 0, 0);
            if (!status.empty() && status != "in progress") break;
            // Still running: its backend has not seen the connection go (across a network
            // it may not for hours, holding its rows' locks). It is this process's own
            // session: end it. A COMMIT it is running completes first; anything else rolls back.
            if (status == "in progress" && !ended_old) {
                const char* pid[] = {old_backend.c_str()};
                ResultPtr end(pq->PQexecParams(conn_, "SELECT pg_terminate_backend(CAST($1 AS integer))", 1, nullptr,
                                               pid, nullptr, nullptr, 0));
                ended_old = true;
            }
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (status == "committed") {
        recovered_xid_ = std::to_string(std::stoull(*xid) & 0xffffffffULL);  // as a row's xmin shows it
        return;
    }
    if (status == "aborted")
        throw sql::Failure(sql::FailureKind::Other, "lost the connection to the store (" + where +
                                                        ") before the transaction committed: nothing in it was kept");
    throw sql::Failure(sql::FailureKind::Other, unknown);
}

namespace {

std::string id_array(const std::vector<int64_t>& ids) {
    std::string array = "{";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) array += ',';
        array += std::to_string(ids[i]);
    }
    return array + "}";
}

// The member's row and the products' rows, locked; answers how many of each. `how`
// follows FOR NO KEY UPDATE: nothing (wait), NOWAIT or SKIP LOCKED.
std::string lock_text(const char* how) {
    return std::string("WITH m AS (SELECT id FROM member WHERE id = :member FOR NO KEY UPDATE") + how +
           "), p AS (SELECT id FROM product WHERE id = ANY (CAST(:products AS bigint[])) ORDER BY id "
           "FOR NO KEY UPDATE" + how + ") SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM p)";
}

}  // namespace

// The lock statement `how` (made on first use), bound to the member and products.
sql::Statement& PgConnection::bound_lock(std::unique_ptr<sql::Statement>& statement, const char* how,
                                         std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids) {
    if (!statement) statement = prepare(lock_text(how).c_str());
    statement->reset();
    statement->clearBindings();
    if (member_id) statement->bind(":member", *member_id);
    statement->bind(":products", id_array(product_ids));
    return *statement;
}

void PgConnection::lock_rows(std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids, bool nowait) {
    // NO KEY UPDATE: writers of the same member or product queue up, while inserts
    // that only reference the row (an order's member, an item's product) do not wait.
    auto& statement = nowait ? bound_lock(lock_nowait_, " NOWAIT", member_id, product_ids)
                             : bound_lock(lock_, "", member_id, product_ids);
    // Sent with the reads that follow it; a row it cannot take fails the first of them.
    static_cast<PgStatement&>(statement).lock_later(nowait);
}

void PgConnection::lock_free_rows_later(std::optional<int64_t> member_id, const std::vector<int64_t>& product_ids) {
    bound_lock(lock_free_, " SKIP LOCKED", member_id, product_ids).query_later();
}

std::pair<int64_t, int64_t> PgConnection::rows_locked_ahead() {
    // Only the answer sent ahead counts: the lock run again now would come after the
    // reads it must precede. None (a round trip since made it stale): nothing is known
    // to be locked, and the caller reads again.
    if (!lock_free_ || !lock_free_->answered() || !lock_free_->executeStep()) return {-1, -1};
    const std::pair<int64_t, int64_t> locked{lock_free_->getColumn(0).getInt64(), lock_free_->getColumn(1).getInt64()};
    lock_free_->reset();
    return locked;
}

void PgConnection::tune_for_bulk() {
    // A batch runs the same few statements thousands of times. Left to choose, the
    // server kept planning some of them again at every run in grouped batches (backend
    // CPU a grouped order ~380 us in half the runs, ~315 in the others); generic plans
    // every time: ~310. Each of the checkout's statements finds its rows by key, so
    // the generic plan is the index scan either way (checked with EXPLAIN EXECUTE).
    execute("SET plan_cache_mode = force_generic_plan");
    bulk_ = true;
}

void PgConnection::after_explicit_ids() {
    // A fixture's explicit coupon issue ids: the next generated id follows them, as
    // SQLite's rowid does (the largest id plus one).
    execute("SELECT setval(pg_get_serial_sequence('coupon_issue', 'id'), "
            "COALESCE((SELECT max(id) FROM coupon_issue), 0) + 1, false)");
}

Result<std::unique_ptr<sql::Connection>> open(const StoreOptions& options) {
    auto conn = connect(options);
    if (!conn) return conn.error();
    auto connection = std::make_unique<PgConnection>(*conn, options);
    return guarded<std::unique_ptr<sql::Connection>>([&]() -> Result<std::unique_ptr<sql::Connection>> {
        const int version = schema_version(*conn);
        if (version == 0)
            return Error::StoreError("the database at " + describe(*conn) +
                                     " holds no shopctl tables in its schema: run `shopctl init` first");
        if (version != kSchemaVersion)
            return Error::StoreError("the database at " + describe(*conn) + " has shopctl schema version " +
                                     std::to_string(version) + "; this shopctl knows " +
                                     std::to_string(kSchemaVersion));
        return std::unique_ptr<sql::Connection>(std::move(connection));
    });
}

Result<InitReport> init(const StoreOptions& options) {
    auto conn = connect(options);
    if (!conn) return conn.error();
    PgConnection connection(*conn, options);
    return guarded<InitReport>([&]() -> Result<InitReport> {
        InitReport report;
        report.from_version = apply_schema(*conn);
        report.created = report.from_version == 0;
        report.to_version = kSchemaVersion;
        return report;
    });
}

namespace {

constexpr const char* kScratchPrefix = "shopctl_scratch_";

// A scratch schema's key: random, positive, unique across processes and hosts
// sharing the database. The schema is shopctl_scratch_<key>, and its session holds the
// advisory lock <key> for as long as it lives.
int64_t new_scratch_key() {
    std::random_device random;
    const uint64_t high = random(), low = random();
    return static_cast<int64_t>(((high << 32) | low) & 0x3fffffffffffffffULL) + 1;
}

// Drops the scratch schemas whose sessions are gone: a replay killed before it could
// drop its own leaves its schema behind, but not its advisory lock, which ended with
// its session. A schema whose lock is still held belongs to a live replay.
void drop_orphan_scratch_schemas(sql::Connection& connection) {
    std::vector<int64_t> keys;
    {
        auto list = connection.prepare("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :prefix)");
        list->bind(":prefix", kScratchPrefix);
        while (list->executeStep()) {
            const std::string suffix = list->getColumn(0).getString().substr(std::string(kScratchPrefix).size());
            int64_t key = 0;
            const auto [end, ec] = std::from_chars(suffix.data(), suffix.data() + suffix.size(), key);
            if (ec == std::errc() && end == suffix.data() + suffix.size() && key > 0) keys.push_back(key);
        }
    }
    auto take = connection.prepare("SELECT CASE WHEN pg_try_advisory_lock(CAST(:key AS BIGINT)) THEN 1 ELSE 0 END");
    auto give_back = connection.prepare("SELECT CASE WHEN pg_advisory_unlock(CAST(:key AS BIGINT)) THEN 1 ELSE 0 END");
    for (int64_t key : keys) {
        take->bind(":key", key);
        const bool orphan = take->executeStep() && take->getColumn(0).getInt64() == 1;
        take->reset();
        if (!orphan) continue;
        // The name is the prefix and the digits of a parsed integer: nothing to quote.
        connection.execute(("DROP SCHEMA IF EXISTS " + std::string(kScratchPrefix) + std::to_string(key) + " CASCADE").c_str());
        give_back->bind(":key", key);
        give_back->executeStep();
        give_back->reset();
    }
}

}  // namespace

Result<std::unique_ptr<sql::Connection>> scratch(const StoreOptions& options) {
    auto conn = connect(options);
    if (!conn) return conn.error();
    auto connection = std::make_unique<PgConnection>(*conn, options);
    return guarded<std::unique_ptr<sql::Connection>>([&]() -> Result<std::unique_ptr<sql::Connection>> {
        drop_orphan_scratch_schemas(*connection);
        const int64_t key = new_scratch_key();
        auto hold = connection->prepare("SELECT 1 FROM pg_advisory_lock(CAST(:key AS BIGINT))");
        hold->bind(":key", key);
        hold->executeStep();
        hold.reset();
        const std::string schema = kScratchPrefix + std::to_string(key);
        exec_simple(*conn, "CREATE SCHEMA " + schema + "; SET search_path TO " + schema);
        connection->own_schema(schema);
        apply_schema(*conn);
        return std::unique_ptr<sql::Connection>(std::move(connection));
    });
}

}  // namespace shopctl::db::pg
