#include "tests/support/pg_store.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "tests/support/process.h"

namespace shopctl::test {

namespace {

// Starts the cluster on construction, stops and deletes it when the test process ends.
class Cluster {
public:
    Cluster() {
        if (const char* given = std::getenv("SHOPCTL_TEST_PG"); given && *given) {
            uri_ = given;
            return;
        }
        dir_ = "/tmp/shopctl-test-pg-" + std::to_string(::getpid());
        script_ = std::string(SHOPCTL_SOURCE_DIR) + "/scripts/pg-cluster.sh";
        run_program({script_, "stop", dir_});
        const auto started = run_program({script_, "start", dir_});
        if (started.exit_code != 0)
            throw std::runtime_error("could not start a PostgreSQL cluster (scripts/pg-cluster.sh): " + started.err);
        uri_ = started.out.substr(0, started.out.find('\n'));
    }
    ~Cluster() {
        if (!dir_.empty()) run_program({script_, "stop", dir_});
    }
    const std::string& uri() const { return uri_; }

private:
    std::string dir_, script_, uri_;
};

PGconn* connect(const std::string& uri) {
    PGconn* conn = PQconnectdb(uri.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string why = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("cannot connect to " + uri + ": " + why);
    }
    return conn;
}

PGresult* run(PGconn* conn, const std::string& sql) {
    PGresult* r = PQexec(conn, sql.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const std::string why = PQresultErrorMessage(r);
        PQclear(r);
        throw std::runtime_error("SQL failed: " + sql + ": " + why);
    }
    return r;
}

std::string first_value(PGresult* r) {
    std::string v = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return v;
}

}  // namespace

const std::string& test_cluster_uri() {
    static Cluster cluster;
    return cluster.uri();
}

std::string with_parameter(const std::string& uri, const std::string& parameter) {
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + parameter;
}

std::string fresh_schema_uri() {
    static int counter = 0;
    const std::string schema = "t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    pg_exec(test_cluster_uri(), "CREATE SCHEMA " + schema);
    return with_parameter(test_cluster_uri(), "options=-csearch_path%3D" + schema);
}

bool is_pg_uri(const std::string& location) { return location.rfind("postgresql://", 0) == 0; }

std::string pg_dump(const std::string& uri) {
    PGconn* conn = connect(uri);
    std::ostringstream out;
    try {
        PGresult* tables = run(conn, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1");
        for (int i = 0; i < PQntuples(tables); ++i) {
            const std::string table = PQgetvalue(tables, i, 0);
            out << "== " << table << '\n';
            PGresult* rows = run(conn, "SELECT t::text FROM \"" + table + "\" t ORDER BY 1");
            for (int r = 0; r < PQntuples(rows); ++r) out << PQgetvalue(rows, r, 0) << '\n';
            PQclear(rows);
        }
        PQclear(tables);
        // Sequences too: a refused checkout must not even take an order id.
        PGresult* seqs = run(conn, "SELECT sequencename || '=' || COALESCE(last_value, 0) FROM pg_sequences "
                                   "WHERE schemaname = current_schema() ORDER BY 1");
        for (int r = 0; r < PQntuples(seqs); ++r) out << PQgetvalue(seqs, r, 0) << '\n';
        PQclear(seqs);
    } catch (...) {
        PQfinish(conn);
        throw;
    }
    PQfinish(conn);
    return out.str();
}

std::string pg_query_text(const std::string& uri, const std::string& sql) {
    PGconn* conn = connect(uri);
    try {
        std::string v = first_value(run(conn, sql));
        PQfinish(conn);
        return v;
    } catch (...) {
        PQfinish(conn);
        throw;
    }
}

void pg_exec(const std::string& uri, const std::string& sql) {
    PGconn* conn = connect(uri);
    try {
        PQclear(run(conn, sql));
    } catch (...) {
        PQfinish(conn);
        throw;
    }
    PQfinish(conn);
}

PgSession::PgSession(const std::string& uri) : conn_(connect(uri)) {}
PgSession::~PgSession() { PQfinish(static_cast<PGconn*>(conn_)); }
std::string PgSession::query(const std::string& sql) { return first_value(run(static_cast<PGconn*>(conn_), sql)); }

}  // namespace shopctl::test
