// OutboxRules: what becomes of an outbox row (SPEC.md section 7), decided once for
// every store: the status after a failed attempt, which rows `outbox retry` may
// requeue, and how a row's state reads on a receipt (PENDING shows as QUEUED).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/backoff.h"
#include "core/result.h"

namespace shopctl {

// The status after `attempts` failed attempts: DEAD from the last allowed one on.
inline const char* outbox_status_after_failure(int64_t attempts) {
    return attempts >= kMaxDeliveryAttempts ? "DEAD" : "PENDING";
}

// Only a DEAD row may be requeued; INVALID_INPUT names the row otherwise.
inline Status check_retryable(int64_t outbox_id, const std::string& status) {
    if (status == "DEAD") return ok_status();
    return Error::InvalidInput("outbox row " + std::to_string(outbox_id) + " is " + status +
                               "; only DEAD rows can be retried");
}

// A row's status as a receipt's platform block says it: SENT, QUEUED or DEAD.
inline std::string platform_status_of(std::string_view outbox_status) {
    return outbox_status == "PENDING" ? "QUEUED" : std::string(outbox_status);
}

}  // namespace shopctl
