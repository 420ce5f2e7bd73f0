// guarded(): the one place SQLite's exceptions become shopctl errors.
#pragma once

#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>

#include "core/result.h"

namespace shopctl::db {

Error translate_sqlite_error(int code, int extended, const std::string& what);

template <typename T, typename Body>
Result<T> guarded(Body&& body) {
    try {
        return body();
    } catch (const SQLite::Exception& e) {
        return translate_sqlite_error(e.getErrorCode(), e.getExtendedErrorCode(), e.what());
    } catch (const std::bad_alloc&) {
        return Error::StoreError("out of memory");
    }
}

}  // namespace shopctl::db
