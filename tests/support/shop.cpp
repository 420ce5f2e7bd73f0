#include "tests/support/shop.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/support/store_dump.h"

namespace shopctl::test {

nlohmann::json base_fixture() {
    return nlohmann::json::parse(R"({
      "members": [{"id": 1, "name": "Kim", "points": 50000}, {"id": 2, "name": "Lee", "points": 1000},
                  {"id": 3, "name": "Park", "points": 0}],
      "products": [{"id": 10, "name": "Mug", "price": 12000, "stock": 5, "status": "ON_SALE"},
                   {"id": 11, "name": "Tea", "price": 5000, "stock": 3, "status": "ON_SALE"},
                   {"id": 12, "name": "Old Lamp", "price": 30000, "stock": 2, "status": "SALE_ENDED"},
                   {"id": 13, "name": "Pen", "price": 1000, "stock": 100, "status": "ON_SALE"}],
      "coupons": [
        {"id": 1, "name": "10% off mugs", "scope": "PRODUCT", "product_id": 10, "discount_type": "PERCENT",
         "discount_value": 10, "max_discount": 3000, "min_order_amount": 0, "valid_from": null,
         "valid_until": "2027-01-01T00:00:00Z"},
        {"id": 2, "name": "3,000 off 20,000", "scope": "ORDER", "discount_type": "FIXED", "discount_value": 3000,
         "min_order_amount": 20000},
        {"id": 3, "name": "expired", "scope": "ORDER", "discount_type": "FIXED", "discount_value": 500,
         "valid_until": "2026-01-01T00:00:00Z"},
        {"id": 4, "name": "future", "scope": "ORDER", "discount_type": "FIXED", "discount_value": 500,
         "valid_from": "2027-01-01T00:00:00Z"}],
      "coupon_issues": [{"id": 3, "coupon_id": 1, "member_id": 1}, {"id": 4, "coupon_id": 2, "member_id": 1},
                        {"id": 5, "coupon_id": 3, "member_id": 1}, {"id": 6, "coupon_id": 4, "member_id": 1},
                        {"id": 7, "coupon_id": 2, "member_id": 1, "status": "USED"},
                        {"id": 8, "coupon_id": 2, "member_id": 2}]
    })");
}

std::string make_temp_dir() {
    char path[] = "/tmp/shopctl-shop-XXXXXX";
    if (!mkdtemp(path)) throw std::runtime_error("mkdtemp failed");
    return path;
}

void remove_tree(const std::string& path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

TestShop::TestShop(const nlohmann::json& fixture, const std::string& store)
    : dir_(make_temp_dir()), db_(store.empty() ? dir_ + "/shop.db" : store) {
    if (run({"init"}).exit_code != 0) throw std::runtime_error("init failed");
    const std::string path = write_file("fixture.json", fixture.dump());
    const auto loaded = run({"load", path});
    if (loaded.exit_code != 0) throw std::runtime_error("load failed: " + loaded.err);
}

TestShop::~TestShop() { remove_tree(dir_); }

std::string TestShop::write_file(const std::string& name, const std::string& content) const {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

ProcessResult TestShop::run(const std::vector<std::string>& args, const RunOptions& options) const {
    std::vector<std::string> all = {"--db", db_, "--now", kNow};
    all.insert(all.end(), args.begin(), args.end());
    return run_shopctl(all, options);
}

ProcessResult TestShop::checkout(const nlohmann::json& cart, const std::vector<std::string>& extra) const {
    const std::string path = write_file("cart.json", cart.dump());
    std::vector<std::string> args = {"checkout", path, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
}

std::string TestShop::dump() const { return dump_store(db_); }

}  // namespace shopctl::test
