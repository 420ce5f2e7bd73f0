#include "core/fixture.h"

#include <limits>
#include <set>

namespace shopctl {

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr size_t kMaxName = 200;
const ErrorMaker kErr = Error::InvalidFixture;

// Reads a required field through `read`, naming it when absent.
template <typename Read>
auto required(const Json& object, std::string_view key, const std::string& path, Read read)
    -> decltype(read(object, path)) {
    const Json* v = find_key(object, key);
    if (!v) return kErr(field_path(path, key), "is required");
    return read(*v, field_path(path, key));
}

Result<int64_t> required_int(const Json& o, std::string_view key, const std::string& path, int64_t min, int64_t max) {
    return required(o, key, path, [&](const Json& v, const std::string& p) { return read_integer(v, p, min, max, kErr); });
}

Result<std::string> required_name(const Json& o, const std::string& path) {
    return required(o, "name", path, [](const Json& v, const std::string& p) { return read_string(v, p, 1, kMaxName, kErr); });
}

Result<std::optional<int64_t>> optional_int(const Json& o, std::string_view key, const std::string& path, int64_t min,
                                            int64_t max) {
    const Json* v = find_key(o, key);
    if (!v || v->is_null()) return std::optional<int64_t>();
    auto r = read_integer(*v, field_path(path, key), min, max, kErr);
    if (!r) return r.error();
    return std::optional<int64_t>(*r);
}

Result<std::string> enum_field(const Json& o, std::string_view key, const std::string& path,
                               std::initializer_list<std::string_view> allowed, std::optional<std::string> fallback) {
    const Json* v = find_key(o, key);
    if (!v || v->is_null()) {
        if (fallback) return *fallback;
        return kErr(field_path(path, key), "is required");
    }
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    if (v->is_string())
        for (auto a : allowed)
            if (v->get<std::string>() == a) return std::string(a);
    return kErr(field_path(path, key), "must be one of " + list + ", got " + v->dump());
}

Status unique_id(std::set<int64_t>& seen, int64_t id, const std::string& path) {
    if (!seen.insert(id).second) return kErr(field_path(path, "id"), "id " + std::to_string(id) + " appears twice");
    return ok_status();
}

template <typename T, typename ReadOne>
Result<std::vector<T>> read_list(const Json& json, std::string_view key, ReadOne read_one) {
    std::vector<T> out;
    const Json* list = find_key(json, key);
    if (!list || list->is_null()) return out;
    if (auto s = expect_array(*list, std::string(key), kErr); !s) return s.error();
    std::set<int64_t> seen;
    for (size_t i = 0; i < list->size(); ++i) {
        const std::string path = index_path(std::string(key), i);
        if (auto s = expect_object((*list)[i], path, kErr); !s) return s.error();
        auto item = read_one((*list)[i], path);
        if (!item) return item.error();
        if (auto s = unique_id(seen, item->id, path); !s) return s.error();
        out.push_back(std::move(*item));
    }
    return out;
}

Result<FixtureMember> read_member(const Json& o, const std::string& path) {
    if (auto s = only_keys(o, path, {"id", "name", "points"}, kErr); !s) return s.error();
    FixtureMember m;
    auto id = required_int(o, "id", path, 1, kMax);
    if (!id) return id.error();
    auto name = required_name(o, path);
    if (!name) return name.error();
    auto points = optional_int(o, "points", path, 0, kMaxStoredAmount);
    if (!points) return points.error();
    return FixtureMember{*id, *name, *points};
}

Result<FixtureProduct> read_product(const Json& o, const std::string& path) {
    if (auto s = only_keys(o, path, {"id", "name", "price", "stock", "status"}, kErr); !s) return s.error();
    auto id = required_int(o, "id", path, 1, kMax);
    if (!id) return id.error();
    auto name = required_name(o, path);
    if (!name) return name.error();
    auto price = required_int(o, "price", path, 0, kMaxStoredAmount);
    if (!price) return price.error();
    auto stock = required_int(o, "stock", path, 0, kMaxStoredAmount);
    if (!stock) return stock.error();
    auto status = enum_field(o, "status", path, {"ON_SALE", "SALE_ENDED"}, "ON_SALE");
    if (!status) return status.error();
    return FixtureProduct{*id, *name, *price, *stock, *status == "ON_SALE"};
}

Result<Coupon> read_coupon(const Json& o, const std::string& path) {
    if (auto s = only_keys(o, path,
                           {"id", "name", "scope", "product_id", "discount_type", "discount_value", "max_discount",
                            "min_order_amount", "valid_from", "valid_until"},
                           kErr);
        !s)
        return s.error();
    Coupon c;
    auto id = required_int(o, "id", path, 1, kMax);
    if (!id) return id.error();
    c.id = *id;
    auto name = required_name(o, path);
    if (!name) return name.error();
    c.name = *name;
    auto scope = enum_field(o, "scope", path, {"PRODUCT", "ORDER"}, std::nullopt);
    if (!scope) return scope.error();
    c.scope = *scope == "PRODUCT" ? CouponScope::Product : CouponScope::Order;
    auto product = optional_int(o, "product_id", path, 1, kMax);
    if (!product) return product.error();
    if (c.scope == CouponScope::Product && !*product)
        return kErr(field_path(path, "product_id"), "is required for a PRODUCT coupon");
    if (c.scope == CouponScope::Order && *product)
        return kErr(field_path(path, "product_id"), "must be absent or null for an ORDER coupon");
    c.product_id = *product;
    auto type = enum_field(o, "discount_type", path, {"FIXED", "PERCENT"}, std::nullopt);
    if (!type) return type.error();
    c.discount_type = *type == "FIXED" ? DiscountType::Fixed : DiscountType::Percent;
    auto value = required_int(o, "discount_value", path, 0, c.discount_type == DiscountType::Percent ? 100 : kMaxStoredAmount);
    if (!value) return value.error();
    c.discount_value = *value;
    auto max_discount = optional_int(o, "max_discount", path, 0, kMaxStoredAmount);
    if (!max_discount) return max_discount.error();
    c.max_discount = *max_discount;
    auto min = optional_int(o, "min_order_amount", path, 0, kMaxStoredAmount);
    if (!min) return min.error();
    c.min_order_amount = min->value_or(0);
    auto from = read_optional_timestamp(o, "valid_from", path, kErr);
    if (!from) return from.error();
    c.valid_from = *from;
    auto until = read_optional_timestamp(o, "valid_until", path, kErr);
    if (!until) return until.error();
    c.valid_until = *until;
    if (c.valid_from && c.valid_until && *c.valid_until <= *c.valid_from)
        return kErr(field_path(path, "valid_until"), "must be later than valid_from");
    return c;
}

Result<FixtureIssue> read_issue(const Json& o, const std::string& path) {
    if (auto s = only_keys(o, path, {"id", "coupon_id", "member_id", "status"}, kErr); !s) return s.error();
    auto id = required_int(o, "id", path, 1, kMax);
    if (!id) return id.error();
    auto coupon = required_int(o, "coupon_id", path, 1, kMax);
    if (!coupon) return coupon.error();
    auto member = required_int(o, "member_id", path, 1, kMax);
    if (!member) return member.error();
    auto status = enum_field(o, "status", path, {"ISSUED", "USED"}, "ISSUED");
    if (!status) return status.error();
    return FixtureIssue{*id, *coupon, *member, *status == "USED"};
}

}  // namespace

Result<std::optional<UnixSeconds>> read_optional_timestamp(const Json& object, std::string_view key,
                                                           const std::string& path, ErrorMaker make_error) {
    const Json* v = find_key(object, key);
    if (!v || v->is_null()) return std::optional<UnixSeconds>();
    if (v->is_string())
        if (auto t = parse_timestamp(v->get<std::string>())) return std::optional<UnixSeconds>(*t);
    return make_error(field_path(path, key), "must be an RFC 3339 timestamp such as 2026-11-26T03:15:00Z, got " + v->dump());
}

Result<Fixture> parse_fixture(std::string_view text) {
    auto json = parse_json_text(text, kErr, "the fixture");
    if (!json) return json.error();
    return fixture_from_json(*json);
}

Result<Fixture> fixture_from_json(const Json& json) {
    if (!json.is_object()) return kErr("", "the fixture must be a JSON object, got " + json_type_name(json));
    if (auto s = only_keys(json, "", {"members", "products", "coupons", "coupon_issues"}, kErr); !s) return s.error();
    Fixture f;
    auto members = read_list<FixtureMember>(json, "members", read_member);
    if (!members) return members.error();
    f.members = std::move(*members);
    auto products = read_list<FixtureProduct>(json, "products", read_product);
    if (!products) return products.error();
    f.products = std::move(*products);
    auto coupons = read_list<Coupon>(json, "coupons", read_coupon);
    if (!coupons) return coupons.error();
    f.coupons = std::move(*coupons);
    auto issues = read_list<FixtureIssue>(json, "coupon_issues", read_issue);
    if (!issues) return issues.error();
    f.coupon_issues = std::move(*issues);
    return f;
}

}  // namespace shopctl
