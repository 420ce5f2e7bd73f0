// Store faults: read-only, full disk, locked by another process, corrupt. Each gives
// its documented exit code and a clear message, writes nothing, and a later run on a
// healthy store works.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>

#include "tests/support/shop.h"
#include "tests/support/store_dump.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

std::string cart_path(const TestShop& shop) {
    return shop.write_file("c.json", R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}]})");
}

// Runs a shell command line around shopctl (for ulimit, setpriv, ...).
ProcessResult run_shell(const std::string& script) { return run_program({"/bin/bash", "-c", script}); }

}  // namespace

TEST_CASE("a full disk is STORE_ERROR (74), nothing half-written, and the next run works") {
    TestShop shop;
    // Fill the store close to its current size limit: the WAL may grow by a few pages only.
    const std::string cart = cart_path(shop);
    const std::string before = shop.dump();
    json products = json::array();
    for (int i = 0; i < 400; ++i)
        products.push_back({{"id", 500 + i}, {"name", std::string(200, 'x')}, {"price", 1}, {"stock", 1}});
    const std::string fixture = shop.write_file("big.json", json{{"products", products}}.dump());
    // RLIMIT_FSIZE makes every write past 16 KiB fail as a full disk would (SIGXFSZ ignored).
    const auto r = run_shell("trap '' XFSZ; ulimit -f 16; exec \"" + std::string(SHOPCTL_BIN) + "\" --db \"" + shop.db() +
                             "\" load \"" + fixture + "\"");
    CHECK(r.exit_code == 74);
    CHECK(r.err.find("STORE_ERROR") != std::string::npos);
    CHECK(shop.dump() == before);
    CHECK(shop.run({"checkout", cart}).exit_code == 0);
    CHECK(shop.run({"verify"}).exit_code == 0);
}

TEST_CASE("a store locked by another writer is STORE_BUSY (75) after the busy timeout") {
    TestShop shop;
    const std::string cart = cart_path(shop);
    const std::string before = shop.dump();
    {
        SQLite::Database holder(shop.db(), SQLite::OPEN_READWRITE);
        holder.exec("BEGIN IMMEDIATE");
        const auto r = shop.run({"checkout", cart, "--busy-timeout", "200", "--json"});
        CHECK(r.exit_code == 75);
        CHECK(json::parse(r.out)["error"]["code"] == "STORE_BUSY");
        CHECK(r.err.find("busy") != std::string::npos);
        holder.exec("ROLLBACK");
    }
    CHECK(shop.dump() == before);
    CHECK(shop.run({"checkout", cart}).exit_code == 0);
}

TEST_CASE("a read-only store is STORE_ERROR (74) with a clear message") {
    TestShop shop;
    const std::string cart = cart_path(shop);
    REQUIRE(chmod(shop.db().c_str(), 0444) == 0);
    REQUIRE(chmod(shop.dir().c_str(), 0555) == 0);
    const std::string before = shop.dump();
    // root ignores file modes: drop to nobody for the run, as a real unprivileged user would be.
    const std::string prefix = geteuid() == 0 ? "exec setpriv --reuid=65534 --regid=65534 --clear-groups " : "exec ";
    const auto r = run_shell(prefix + "\"" + std::string(SHOPCTL_BIN) + "\" --db \"" + shop.db() + "\" checkout \"" + cart + "\"");
    CHECK(r.exit_code == 74);
    CHECK(r.err.find("STORE_ERROR") != std::string::npos);
    REQUIRE(chmod(shop.dir().c_str(), 0700) == 0);
    REQUIRE(chmod(shop.db().c_str(), 0600) == 0);
    CHECK(shop.dump() == before);
    CHECK(shop.run({"checkout", cart}).exit_code == 0);
}

TEST_CASE("a corrupt store is reported, and never crashes shopctl") {
    TestShop shop;
    REQUIRE(shop.run({"checkout", cart_path(shop)}).exit_code == 0);
    REQUIRE(shop.run({"verify"}).exit_code == 0);  // also checkpoints the WAL into the file
    {
        // Junk in the middle of every page but the first (the schema): b-tree pages break.
        std::fstream f(shop.db(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(0, std::ios::end);
        const auto pages = static_cast<long>(f.tellg()) / 4096;
        const std::string junk(1000, '\x5a');
        for (long page = 1; page < pages; ++page) {
            f.seekp(page * 4096 + 1500);
            f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
        }
    }
    const auto v = shop.run({"verify"});
    CHECK((v.exit_code == 1 || v.exit_code == 74));
    const auto o = shop.run({"orders", "list"});
    CHECK((o.exit_code == 0 || o.exit_code == 74));
    {
        std::fstream f(shop.db(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(0);
        f.write("garbage garbage!", 16);  // the header
    }
    const auto h = shop.run({"orders", "list"});
    CHECK(h.exit_code == 74);
    CHECK(h.err.find("corrupt or not a database") != std::string::npos);
}

TEST_CASE("verify reports each broken invariant") {
    struct Case {
        const char* check;
        const char* sql;
    };
    const Case cases[] = {
        {"stock_not_negative", "PRAGMA ignore_check_constraints = ON; UPDATE stock SET quantity = -1 WHERE product_id = 10"},
        {"balance_not_negative", "PRAGMA ignore_check_constraints = ON; UPDATE point SET balance = -5 WHERE member_id = 3"},
        {"balance_matches_history", "UPDATE point SET balance = balance + 1 WHERE member_id = 1"},
        {"used_coupon_names_order", "UPDATE coupon_issue SET used_order_id = 999 WHERE id = 3"},
        {"order_has_items", "DELETE FROM order_item WHERE order_id = 1"},
        {"order_has_paid_event", "DELETE FROM platform_outbox WHERE order_id = 1"},
        {"order_totals_add_up", "UPDATE orders SET total = total + 1 WHERE id = 1"},
        {"item_amounts_add_up", "UPDATE order_item SET amount = amount - 1 WHERE order_id = 1"},
        {"order_points_used", "DELETE FROM point_history WHERE reason = 'USE'"},
        {"cancelled_order_has_cancel_event", "UPDATE orders SET status = 'CANCELLED' WHERE id = 1"},
    };
    for (const auto& c : cases) {
        INFO(c.check);
        TestShop shop;
        REQUIRE(shop.run({"checkout", shop.write_file("c.json", R"({"member_id": 1, "items": [{"product_id": 10, "quantity": 1}]})")}).exit_code == 0);
        REQUIRE(shop.run({"verify"}).exit_code == 0);
        exec_sql(shop.db(), std::string("PRAGMA foreign_keys = OFF; ") + c.sql);
        const auto r = shop.run({"verify", "--json"});
        CHECK(r.exit_code == 1);
        bool found = false;
        const json report = json::parse(r.out);
        for (const auto& v : report["violations"]) found = found || v["check"] == c.check;
        CHECK(found);
        CHECK(r.out.find("\"ok\":false") != std::string::npos);
    }
}

TEST_CASE("a cart spends only its own member's points") {
    TestShop shop;
    REQUIRE(shop.run({"checkout", cart_path(shop)}).exit_code == 0);
    CHECK(query_text(shop.db(), "SELECT group_concat(balance) FROM point ORDER BY member_id") == "49000,1000,0");
}
