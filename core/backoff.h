// Retry schedule of the platform outbox: exponential backoff with jitter, so a
// platform that comes back is not hit by every queued row at once.
#pragma once

#include <cstdint>

#include "core/timestamp.h"

namespace shopctl {

inline constexpr int64_t kMaxDeliveryAttempts = 10;  // then the row is DEAD

// When to try again after `attempts` failed tries (>= 1). `jitter` in [0, 1) picks a
// point in the upper half of the window: delay = base x 2^(attempts-1) x (0.5 + jitter/2),
// base 30 s, capped at one hour.
UnixSeconds next_attempt_at(UnixSeconds now, int64_t attempts, double jitter);

}  // namespace shopctl
