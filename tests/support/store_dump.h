// A whole-store dump: every table, every row, in a stable order, as text. Two dumps
// compare equal exactly when the stores hold the same data. Each helper takes a SQLite
// file path or a postgresql:// URI (tests/support/pg_store.h).
#pragma once

#include <string>

namespace shopctl::test {

std::string dump_store(const std::string& db_path);
long long count_rows(const std::string& db_path, const std::string& table);
// Runs one SQL statement on the store (tests that corrupt a copy on purpose).
void exec_sql(const std::string& db_path, const std::string& sql);
// The first column of the first row of a query, as text ("" for no row / NULL).
std::string query_text(const std::string& db_path, const std::string& sql);

}  // namespace shopctl::test
