// Bad input: a clear message naming what is wrong, the documented exit code, and
// nothing written.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

void expect_bad_cart(const TestShop& shop, const std::string& text, const std::string& field) {
    const std::string before = shop.dump();
    const std::string path = shop.write_file("bad-cart.json", text);
    const auto r = shop.run({"checkout", path, "--json"});
    INFO(text << "\nstderr: " << r.err);
    CHECK(r.exit_code == 65);
    const json out = json::parse(r.out);
    CHECK(out["error"]["code"] == "INVALID_CART");
    CHECK(out["error"]["message"].get<std::string>().find(field) != std::string::npos);
    CHECK(r.err.find(field) != std::string::npos);
    CHECK(shop.dump() == before);
}

}  // namespace

TEST_CASE("bad carts exit 65 naming the field, and write nothing") {
    TestShop shop;
    expect_bad_cart(shop, "not json", "line 1");
    expect_bad_cart(shop, R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 0}]})", "items[0].quantity");
    expect_bad_cart(shop, R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1.5}]})", "items[0].quantity");
    expect_bad_cart(shop, R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 10000001}]})", "items[0].quantity");
    expect_bad_cart(shop, R"({"member_id": 1, "items": [{"product_id": "10", "quantity": 1}]})", "items[0].product_id");
    expect_bad_cart(shop, R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "discount": 5})", "discount");
    expect_bad_cart(shop, R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1e400}]})", "1e400");
    expect_bad_cart(shop, R"({"member_id": 123456789012345678901234567890, "items": [{"product_id": 10, "quantity": 1}]})", "member_id");
    expect_bad_cart(shop, R"({"member_id": 1, "items": {}})", "items");
    expect_bad_cart(shop, R"([1, 2])", "object");
}

TEST_CASE("price x quantity that overflows int64 is INVALID_CART") {
    json fixture = base_fixture();
    fixture["products"].push_back(
        {{"id", 50}, {"name", "Gold"}, {"price", 1000000000000000LL}, {"stock", 1000000}, {"status", "ON_SALE"}});
    TestShop shop(fixture);
    expect_bad_cart(shop, R"({"member_id": 1, "items": [{"product_id": 50, "quantity": 10000}]})", "overflows");
    expect_bad_cart(shop, R"({"member_id": 1, "items": [{"product_id": 50, "quantity": 2}]})", "overflows");
}

TEST_CASE("a missing cart file exits 66") {
    TestShop shop;
    const auto r = shop.run({"checkout", shop.dir() + "/nope.json"});
    CHECK(r.exit_code == 66);
    CHECK(r.err.find("INPUT_NOT_FOUND") != std::string::npos);
}

TEST_CASE("no store: 74 with a hint to run init, and no file created") {
    const std::string dir = make_temp_dir();
    const std::string db = dir + "/missing.db";
    const std::string cart = dir + "/c.json";
    {
        FILE* f = fopen(cart.c_str(), "w");
        fputs(R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}]})", f);
        fclose(f);
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"checkout", cart}, {"orders", "list"}, {"verify"}, {"outbox", "list"}, {"points", "charge", "1", "5"}}) {
        std::vector<std::string> all = {"--db", db};
        all.insert(all.end(), args.begin(), args.end());
        const auto r = run_shopctl(all);
        CHECK(r.exit_code == 74);
        CHECK(r.err.find("shopctl init") != std::string::npos);
        CHECK(access(db.c_str(), F_OK) != 0);
    }
    remove_tree(dir);
}

TEST_CASE("a file without the schema, or not a database, exits 74") {
    const std::string dir = make_temp_dir();
    const std::string empty = dir + "/empty.db";
    exec_sql(empty, "CREATE TABLE unrelated (x)");
    CHECK(run_shopctl({"--db", empty, "orders", "list"}).exit_code == 74);
    const std::string garbage = dir + "/garbage.db";
    {
        FILE* f = fopen(garbage.c_str(), "w");
        for (int i = 0; i < 200; ++i) fputs("this is not a database file at all ", f);
        fclose(f);
    }
    const auto r = run_shopctl({"--db", garbage, "orders", "list"});
    CHECK(r.exit_code == 74);
    CHECK(r.err.find("STORE_ERROR") != std::string::npos);
    remove_tree(dir);
}

TEST_CASE("init is safe twice and makes a store only its owner can read") {
    const std::string dir = make_temp_dir();
    const std::string db = dir + "/s.db";
    REQUIRE(run_shopctl({"--db", db, "init"}).exit_code == 0);
    const std::string first = dump_store(db);
    REQUIRE(run_shopctl({"init", "--db", db}).exit_code == 0);
    CHECK(dump_store(db) == first);
    struct stat st;
    REQUIRE(stat(db.c_str(), &st) == 0);
    CHECK((st.st_mode & 077) == 0);
    CHECK(query_text(db, "PRAGMA journal_mode") == "wal");
    CHECK(query_text(db, "PRAGMA user_version") == "3");
    remove_tree(dir);
}

TEST_CASE("bad arguments and command lines") {
    TestShop shop;
    const std::string cart = shop.write_file("c.json", R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}]})");
    const std::string before = shop.dump();
    // A malformed --now or platform URL is INVALID_INPUT (65), nothing written.
    CHECK(run_shopctl({"--db", shop.db(), "--now", "yesterday", "checkout", cart}).exit_code == 65);
    const auto url = shop.run({"checkout", cart, "--platform-url", "ftp://example.com/x"});
    CHECK(url.exit_code == 65);
    CHECK(url.err.find("http://") != std::string::npos);
    CHECK(shop.run({"--busy-timeout", "soon", "checkout", cart}).exit_code == 65);
    CHECK(shop.dump() == before);
    // A misspelled command suggests the nearest one (64).
    const auto typo = shop.run({"chekout", cart});
    CHECK(typo.exit_code == 64);
    CHECK(typo.err.find("did you mean 'checkout'") != std::string::npos);
    // A missing argument or unknown flag is a usage error, also with --json.
    const auto missing = shop.run({"checkout", "--json"});
    CHECK(missing.exit_code == 64);
    CHECK(json::parse(missing.out)["error"]["code"] == "USAGE");
    CHECK(shop.run({"checkout", cart, "--frobnicate"}).exit_code == 64);
    CHECK(shop.run({}).exit_code == 64);
}

TEST_CASE("bad fixtures exit 65 naming the field, and write nothing") {
    TestShop shop;
    const std::string before = shop.dump();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"members": [{"id": 9, "name": "New", "points": 5}], "products": [{"id": 10, "name": "Mug", "price": -1, "stock": 1}]})",
         "products[0].price"},
        {R"({"coupon_issues": [{"id": 90, "coupon_id": 404, "member_id": 1}]})", "coupon_issues[0].coupon_id"},
        {R"({"members": [{"id": 9, "name": "New"}], "coupon_issues": [{"id": 90, "coupon_id": 1, "member_id": 404}]})",
         "coupon_issues[0].member_id"},
        {R"({"coupons": [{"id": 9, "name": "c", "scope": "PRODUCT", "product_id": 404, "discount_type": "FIXED", "discount_value": 1}]})",
         "coupons[0].product_id"},
        {"{\"members\": [", "line 1"},
    };
    for (const auto& [text, field] : cases) {
        const auto r = shop.run({"load", shop.write_file("bad.json", text), "--json"});
        INFO(text << "\n" << r.err);
        CHECK(r.exit_code == 65);
        CHECK(json::parse(r.out)["error"]["code"] == "INVALID_FIXTURE");
        CHECK(r.err.find(field) != std::string::npos);
        CHECK(shop.dump() == before);
    }
}

TEST_CASE("names that look like SQL are stored verbatim") {
    json fixture = base_fixture();
    fixture["members"].push_back({{"id", 66}, {"name", "'); DROP TABLE orders;--"}, {"points", 10}});
    TestShop shop(fixture);
    CHECK(query_text(shop.db(), "SELECT name FROM member WHERE id = 66") == "'); DROP TABLE orders;--");
    CHECK(count_rows(shop.db(), "orders") == 0);
}
