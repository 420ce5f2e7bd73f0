// Linked only into shopctl-weak-durability, the binary the power-loss test runs to
// show that it catches lost orders: the setting shopctl used before SPEC.md section 9.
#include "db/sqlite/sqlite_durability.h"

namespace shopctl::db {

const char* const kSqliteSynchronous = "NORMAL";

}  // namespace shopctl::db
