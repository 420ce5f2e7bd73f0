// Fixture: a shop to load (SPEC.md section 8): members with points, products with
// price, stock and status, coupons and coupon issues. Parsing checks every field
// and names the one that is wrong; references to rows already in the store are
// checked by the store when it loads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/coupon.h"
#include "core/json_reader.h"
#include "core/result.h"

namespace shopctl {

struct FixtureMember {
    int64_t id = 0;
    std::string name;
    std::optional<Won> points;  // absent: keep the balance the store has (0 for a new member)
};

struct FixtureProduct {
    int64_t id = 0;
    std::string name;
    Won price = 0;
    int64_t stock = 0;
    bool on_sale = true;
};

struct FixtureIssue {
    int64_t id = 0;
    int64_t coupon_id = 0;
    int64_t member_id = 0;
    bool used = false;
};

struct Fixture {
    std::vector<FixtureMember> members;
    std::vector<FixtureProduct> products;
    std::vector<Coupon> coupons;
    std::vector<FixtureIssue> coupon_issues;
};

Result<Fixture> parse_fixture(std::string_view text);
Result<Fixture> fixture_from_json(const Json& json);

// Reads an optional RFC 3339 timestamp field (null or absent: nullopt).
Result<std::optional<UnixSeconds>> read_optional_timestamp(const Json& object, std::string_view key,
                                                           const std::string& path, ErrorMaker make_error);

}  // namespace shopctl
