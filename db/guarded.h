// guarded(): the one place a backend's sql::Failure becomes a shopctl error.
#pragma once

#include <new>

#include "core/result.h"
#include "db/sql/failure.h"

namespace shopctl::db {

inline Error error_of(const sql::Failure& f) {
    switch (f.kind) {
        case sql::FailureKind::Busy: return Error::StoreBusy(f.what());
        case sql::FailureKind::Retry:
        case sql::FailureKind::Contended:
            return Error::StoreBusy(std::string("the store stayed busy past the busy timeout: ") + f.what());
        default: return Error::StoreError(f.what());
    }
}

template <typename T, typename Body>
Result<T> guarded(Body&& body) {
    try {
        return body();
    } catch (const sql::Failure& f) {
        return error_of(f);
    } catch (const std::bad_alloc&) {
        return Error::StoreError("out of memory");
    }
}

}  // namespace shopctl::db
