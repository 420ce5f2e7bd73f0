#include "db/sqlite/sqlite_durability.h"

namespace shopctl::db {

const char* const kSqliteSynchronous = "FULL";

}  // namespace shopctl::db
