#include <catch2/catch.hpp>

#include "core/timestamp.h"

using namespace shopctl;

TEST_CASE("RFC 3339 timestamps round-trip through Unix seconds") {
    CHECK(parse_timestamp("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_timestamp("2026-11-26T03:15:00Z") == 1795662900);
    CHECK(format_timestamp(1795662900) == "2026-11-26T03:15:00Z");
    CHECK(parse_timestamp("2026-11-26T12:15:00+09:00") == parse_timestamp("2026-11-26T03:15:00Z"));
    CHECK(parse_timestamp("2026-11-26T03:15:00.123Z") == parse_timestamp("2026-11-26T03:15:00Z"));
    CHECK(format_timestamp(*parse_timestamp("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
}

TEST_CASE("malformed timestamps are refused") {
    for (const char* bad : {"", "2026-11-26", "2026-11-26T03:15:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                            "2025-02-29T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26 03:15:00Z", "yesterday",
                            "2026-11-26T03:15:00Zjunk"})
        CHECK_FALSE(parse_timestamp(bad).has_value());
}
