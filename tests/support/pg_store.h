// The PostgreSQL side of the tests: a throwaway cluster this test process starts on
// first use (scripts/pg-cluster.sh, unix socket only) and stops when it exits, and
// stores in fresh schemas of it. SHOPCTL_TEST_PG names a running database instead.
#pragma once

#include <string>

namespace shopctl::test {

// The URI of the cluster's database (started on the first call).
const std::string& test_cluster_uri();
// A URI whose search_path is a new, empty schema of that database.
std::string fresh_schema_uri();
// `uri` with one more query parameter.
std::string with_parameter(const std::string& uri, const std::string& parameter);

bool is_pg_uri(const std::string& location);
// The same helpers as store_dump.h, for a store at a postgresql:// URI.
std::string pg_dump(const std::string& uri);
std::string pg_query_text(const std::string& uri, const std::string& sql);
void pg_exec(const std::string& uri, const std::string& sql);

// A connection held open by the test (to hold row locks while shopctl runs).
class PgSession {
public:
    explicit PgSession(const std::string& uri);
    ~PgSession();
    PgSession(const PgSession&) = delete;
    PgSession& operator=(const PgSession&) = delete;
    std::string query(const std::string& sql);  // first column of the first row

private:
    void* conn_;
};

}  // namespace shopctl::test
