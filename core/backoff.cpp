#include "core/backoff.h"

#include <algorithm>

namespace shopctl {

UnixSeconds next_attempt_at(UnixSeconds now, int64_t attempts, double jitter) {
    constexpr int64_t kBaseSeconds = 30;
    constexpr int64_t kCapSeconds = 3600;
    const int64_t exponent = std::clamp<int64_t>(attempts - 1, 0, 20);
    const int64_t window = std::min(kCapSeconds, kBaseSeconds << exponent);
    const double fraction = 0.5 + std::clamp(jitter, 0.0, 1.0) / 2.0;
    return now + std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(window) * fraction));
}

}  // namespace shopctl
