// sql::Failure: how a backend's connection reports a statement that failed, sorted
// into what the store does about it. Each backend maps its own codes here; the
// store code above it never sees a backend's error type.
#pragma once

#include <stdexcept>
#include <string>

namespace shopctl::db::sql {

enum class FailureKind {
    Busy,      // a lock was not had within the busy timeout: STORE_BUSY
    Retry,     // the transaction lost a race the server detected (serialization, deadlock): run it again
    Contended, // a row was locked by another transaction and this one would not wait (see lock_rows)
    Full,      // the disk or the store is full
    ReadOnly,  // the store (or server) takes no writes
    Corrupt,   // the store is damaged
    Lost,      // the connection to a server went (or the server ended the session): what was in flight may have run
    Other,
};

struct Failure : std::runtime_error {
    Failure(FailureKind kind, const std::string& message) : std::runtime_error(message), kind(kind) {}
    FailureKind kind;
};

}  // namespace shopctl::db::sql
