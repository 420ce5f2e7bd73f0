// How durable a SQLite commit is (SPEC.md section 9): the value of PRAGMA synchronous
// on every connection. FULL in WAL mode fsyncs the WAL at each COMMIT, so a receipt
// printed after it survives a power loss. Kept in its own object file so that the
// power-loss test can link a build with a weaker setting and show that test fail.
#pragma once

namespace shopctl::db {

extern const char* const kSqliteSynchronous;

}  // namespace shopctl::db
