#include <catch2/catch.hpp>

#include "core/backoff.h"

using namespace shopctl;

TEST_CASE("retry delays grow exponentially, stay in the jitter window and are capped") {
    CHECK(next_attempt_at(1000, 1, 0.0) == 1015);   // 30 s window, lower half edge
    CHECK(next_attempt_at(1000, 1, 0.999) < 1030);
    CHECK(next_attempt_at(1000, 2, 0.0) == 1030);   // 60 s window
    CHECK(next_attempt_at(1000, 3, 0.0) == 1060);
    CHECK(next_attempt_at(1000, 30, 0.0) == 1000 + 1800);  // capped at one hour
    CHECK(next_attempt_at(1000, 30, 1.0) == 1000 + 3600);
}
