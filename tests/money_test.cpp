#include <catch2/catch.hpp>

#include <limits>

#include "core/money.h"

using namespace shopctl;

TEST_CASE("percent discounts floor, in integers, even for huge bases") {
    CHECK(percent_floored(12345, 10) == 1234);
    CHECK(percent_floored(99, 50) == 49);
    CHECK(percent_floored(1, 99) == 0);
    CHECK(percent_floored(100, 100) == 100);
    CHECK(percent_floored(0, 37) == 0);
    const Won max = std::numeric_limits<Won>::max();
    CHECK(percent_floored(max, 100) == max);
    CHECK(percent_floored(max, 50) == max / 2);  // max is odd: floor(max/2)
    // Every small case against the obvious formula.
    for (Won base = 0; base < 1000; ++base)
        for (int64_t p = 0; p <= 100; p += 7) REQUIRE(percent_floored(base, p) == base * p / 100);
}

TEST_CASE("checked arithmetic reports overflow instead of wrapping") {
    const Won max = std::numeric_limits<Won>::max();
    CHECK(checked_add(max, 1) == std::nullopt);
    CHECK(checked_add(max - 1, 1) == max);
    CHECK(checked_mul(max / 2 + 1, 2) == std::nullopt);
    CHECK(checked_mul(4611686018427387903, 2) == 9223372036854775806);
    CHECK(checked_sub(std::numeric_limits<Won>::min(), 1) == std::nullopt);
}

TEST_CASE("amounts for people get thousands separators, to the extremes") {
    CHECK(format_won(0) == "0");
    CHECK(format_won(999) == "999");
    CHECK(format_won(1000) == "1,000");
    CHECK(format_won(-2400) == "-2,400");
    CHECK(format_won(std::numeric_limits<Won>::min()) == "-9,223,372,036,854,775,808");
    CHECK(format_won(std::numeric_limits<Won>::max()) == "9,223,372,036,854,775,807");
}
