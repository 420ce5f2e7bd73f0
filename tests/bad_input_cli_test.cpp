// Bad input: a clear message naming what is wrong, the documented exit code, and
// nothing written.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

// Runs shopctl with its address space capped, proving memory stays bounded. Under
// AddressSanitizer (which reserves terabytes of shadow memory) the cap is left off.
ProcessResult run_capped(const std::string& cap_bytes, std::vector<std::string> args) {
#if defined(__SANITIZE_ADDRESS__)
    (void)cap_bytes;
    args.insert(args.begin(), SHOPCTL_BIN);
#else
    args.insert(args.begin(), {"/usr/bin/prlimit", "--as=" + cap_bytes, SHOPCTL_BIN});
#endif
    return run_program(args);
}

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
    // A misspelled option suggests the nearest of that command's and the global ones,
    // and names the help to read; nothing is written.
    const auto explain = shop.run({"checkout", cart, "--explian"});
    CHECK(explain.exit_code == 64);
    CHECK(explain.err.find("unknown option '--explian'; did you mean '--explain'? (see shopctl checkout --help)") !=
          std::string::npos);
    const auto limit = shop.run({"orders", "list", "--limt=3"});
    CHECK(limit.exit_code == 64);
    CHECK(limit.err.find("unknown option '--limt'; did you mean '--limit'? (see shopctl orders list --help)") !=
          std::string::npos);
    const auto db = run_shopctl({"--dbb", shop.db(), "orders", "list"});
    CHECK(db.exit_code == 64);
    CHECK(db.err.find("unknown option '--dbb'; did you mean '--db'?") != std::string::npos);
    // A global option's value is not taken for a command word.
    CHECK(run_shopctl({"--busy-timeout", "10", "ordrs", "list"}).err.find("did you mean 'orders'") != std::string::npos);
    CHECK(shop.run({"checkout", cart, "--zzzzzz"}).err.find("did you mean") == std::string::npos);
    CHECK(shop.dump() == before);
}

TEST_CASE("shopctl help COMMAND prints that command's --help; an unknown one is a usage error") {
    CHECK(run_shopctl({"help", "orders", "list"}).out == run_shopctl({"orders", "list", "--help"}).out);
    CHECK(run_shopctl({"help", "checkout"}).out == run_shopctl({"checkout", "--help"}).out);
    const auto top = run_shopctl({"help"});
    CHECK(top.exit_code == 0);
    CHECK(top.out == run_shopctl({"--help"}).out);
    const auto typo = run_shopctl({"help", "orders", "lst"});
    CHECK(typo.exit_code == 64);
    CHECK(typo.err.find("unknown command 'lst'; did you mean 'list'?") != std::string::npos);
    CHECK(typo.out.empty());
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

TEST_CASE("bounded input: deep nesting, a key twice, a NUL byte, an endless file; nothing written, no crash") {
    TestShop shop;
    const std::string before = shop.dump();
    std::string deep = R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}], "coupons": )";
    for (int i = 0; i < 50000; ++i) deep += "[";
    expect_bad_cart(shop, deep, "deeper than 64");
    expect_bad_cart(shop, R"({"member_id": 1, "member_id": 2, "items": [{"product_id": 10, "quantity": 1}]})",
                    "'member_id' twice");
    expect_bad_cart(shop, std::string(R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}]})") +
                              std::string(1, '\0') + "garbage",
                    "NUL byte");
    // 64 levels are fine; the 65th is refused.
    std::string nested64 = "1", nested65;
    for (int i = 0; i < 62; ++i) nested64 = "[" + nested64 + "]";
    const auto ok = shop.run({"checkout", shop.write_file("c64.json", R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}], "coupons": )" + nested64 + "}"), "--json"});
    CHECK(json::parse(ok.out)["error"]["message"].get<std::string>().find("deeper") == std::string::npos);
    // /dev/zero: refused after 1 MiB, in bounded memory (a 256 MiB address-space cap is plenty).
    const auto zero = run_capped("268435456", {"--db", shop.db(), "checkout", "/dev/zero", "--json"});
    CHECK(zero.exit_code == 65);
    CHECK(json::parse(zero.out)["error"]["code"] == "INVALID_CART");
    CHECK(zero.err.find("larger than 1 MiB") != std::string::npos);
    // A fixture with a key twice, or nested too deep.
    const auto twice = shop.run({"load", shop.write_file("f.json", R"({"members": [], "members": []})")});
    CHECK(twice.exit_code == 65);
    CHECK(twice.err.find("INVALID_FIXTURE") != std::string::npos);
    std::string deep_fixture = R"({"members": [{"id": 9, "name": "x", "points": )";
    for (int i = 0; i < 50000; ++i) deep_fixture += "[";
    CHECK(shop.run({"load", shop.write_file("deep.json", deep_fixture)}).exit_code == 65);
    CHECK(shop.dump() == before);
}

TEST_CASE("a fixture over 64 MiB is refused without reading it all") {
    TestShop shop;
    const std::string before = shop.dump();
    const std::string path = shop.dir() + "/huge.json";
    {
        std::ofstream out(path);
        out << R"({"members": [)";
        const std::string member = R"({"id": 1, "name": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},)";
        for (size_t written = 0; written < (65u << 20); written += member.size()) out << member;
        out << "]}";
    }
    const auto r = run_capped("536870912", {"--db", shop.db(), "load", path});
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("INVALID_FIXTURE") != std::string::npos);
    CHECK(r.err.find("larger than 64 MiB") != std::string::npos);
    CHECK(shop.dump() == before);
}

TEST_CASE("every stored amount stays within 10^15: what would pass it is refused, nothing changed") {
    TestShop shop;
    json fixture = base_fixture();
    fixture["products"][0]["stock"] = 4611686018427387904LL;  // 2^62
    const auto big_stock = shop.run({"load", shop.write_file("big.json", fixture.dump())});
    CHECK(big_stock.exit_code == 65);
    CHECK(big_stock.err.find("products[0].stock") != std::string::npos);
    const std::string before = shop.dump();
    const auto charge = shop.run({"points", "charge", "1", "999999999999999"});
    CHECK(charge.exit_code == 65);
    CHECK(charge.err.find("10^15") != std::string::npos);
    CHECK(shop.run({"points", "charge", "1", "9223372036854775807"}).exit_code == 65);
    CHECK(shop.run({"stock", "add", "10", "999999999999999"}).exit_code == 65);
    CHECK(shop.run({"products", "set", "10", "--price", "1000000000000001"}).exit_code == 65);
    CHECK(shop.dump() == before);
    // Up to the bound is fine, and a return that would pass it is refused whole.
    REQUIRE(shop.checkout({{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 2}}}}}).exit_code == 0);
    REQUIRE(shop.run({"stock", "add", "13", std::to_string(1000000000000000LL - 98)}).exit_code == 0);
    const std::string full = shop.dump();
    const auto back = shop.run({"orders", "return", "1", "13:2", "--json"});
    CHECK(back.exit_code == 65);
    CHECK(back.err.find("past 10^15") != std::string::npos);
    CHECK(shop.dump() == full);
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("load never undoes what an order did; verify catches a coupon given back under a live order") {
    TestShop shop;
    // Coupon 3 (10% off mugs) goes to the order.
    REQUIRE(shop.checkout({{"member_id", 1}, {"items", {{{"product_id", 10}, {"quantity", 1}}}}, {"coupons", {3}}}).exit_code == 0);
    const std::string before = shop.dump();
    const auto reload = shop.run({"load", shop.write_file("again.json", base_fixture().dump())});
    CHECK(reload.exit_code == 65);
    CHECK(reload.err.find("coupon issue 3 was used by order 1") != std::string::npos);
    CHECK(shop.dump() == before);
    // Tampered by hand: verify names it.
    exec_sql(shop.db(), "UPDATE coupon_issue SET status = 'ISSUED', used_order_id = NULL, used_at = NULL WHERE id = 3");
    const auto v = shop.run({"verify", "--json"});
    CHECK(v.exit_code == 1);
    CHECK(v.out.find("coupon_held_by_live_order") != std::string::npos);
}

TEST_CASE("user text never reaches the terminal raw; init makes an existing store private") {
    TestShop shop;
    const auto r = shop.run({"checkout", shop.write_file("esc.json", "{\"member_id\": 1, \"\\u001b[31mred\": 1, \"items\": []}")});
    CHECK(r.exit_code == 65);
    CHECK(r.err.find('\x1b') == std::string::npos);
    CHECK(r.err.find("\\x1b[31mred") != std::string::npos);

    const std::string dir = make_temp_dir();
    const std::string db = dir + "/open.db";
    REQUIRE(run_shopctl({"--db", db, "init"}).exit_code == 0);
    REQUIRE(chmod(db.c_str(), 0644) == 0);
    const auto again = run_shopctl({"--db", db, "init"});
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("was mode 0644") != std::string::npos);
    struct stat st;
    REQUIRE(stat(db.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    remove_tree(dir);
}
