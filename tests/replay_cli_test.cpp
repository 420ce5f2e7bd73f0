// `shopctl replay`: a wrong expectation fails with a diff at the exact field; a
// malformed scenario is 65 without stopping the others; JUnit XML is well formed.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/shop.h"

using namespace shopctl::test;
using nlohmann::json;

namespace {

const char* kScenario = R"({"name": "last mug goes once", "now": "2026-11-26T00:00:00Z",
  "fixture": {"members": [{"id": 1, "name": "Kim", "points": 60000}, {"id": 2, "name": "Lee", "points": 9000}],
              "products": [{"id": 10, "name": "Mug", "price": 12000, "stock": 5, "status": "ON_SALE"}]},
  "steps": [{"checkout": {"member_id": 1, "items": [{"product_id": 10, "quantity": 5}]}, "expect": {"total": 60000}},
            {"checkout": {"member_id": 2, "items": [{"product_id": 10, "quantity": 1}]},
             "expect": {"error": {"code": "OUT_OF_STOCK"}}}],
  "expect_state": {"stock": {"10": 0}, "points": {"1": 0}, "orders": 1}})";

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// Well-formed enough for CI readers: one root, every tag closed in order.
bool balanced_xml(const std::string& xml) {
    std::vector<std::string> open;
    const std::regex tag(R"(<(/?)([A-Za-z_][\w.-]*)[^>]*?(/?)>)");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), tag); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        if (m[3] == "/") continue;
        if (m[1] == "/") {
            if (open.empty() || open.back() != m[2]) return false;
            open.pop_back();
        } else {
            open.push_back(m[2]);
        }
    }
    return open.empty() && xml.find("<?xml") == 0;
}

}  // namespace

TEST_CASE("replay passes a right scenario and points at the exact field of a wrong one") {
    const std::string dir = make_temp_dir();
    write(dir + "/a-right.json", kScenario);
    std::string wrong = kScenario;
    wrong.replace(wrong.find("\"OUT_OF_STOCK\""), 14, "\"PRICE_CHANGED\"");
    write(dir + "/b-wrong.json", wrong);
    const auto one = run_shopctl({"replay", dir + "/a-right.json"});
    CHECK(one.exit_code == 0);
    CHECK(one.out.find("PASS  last mug goes once") == 0);

    const auto both = run_shopctl({"replay", dir, "--junit", dir + "/out.xml"});
    CHECK(both.exit_code == 1);
    CHECK(both.out.find("FAIL  last mug goes once") != std::string::npos);
    CHECK(both.out.find("step 2 (checkout): at $.error.code") != std::string::npos);
    CHECK(both.out.find("expected: \"PRICE_CHANGED\"") != std::string::npos);
    CHECK(both.out.find("actual:   \"OUT_OF_STOCK\"") != std::string::npos);
    const std::string xml = read_whole_file(dir + "/out.xml");
    CHECK(balanced_xml(xml));
    CHECK(std::count(xml.begin(), xml.end(), '\n') > 3);
    size_t testcases = 0;
    for (size_t p = xml.find("<testcase "); p != std::string::npos; p = xml.find("<testcase ", p + 1)) ++testcases;
    CHECK(testcases == 2);
    CHECK(xml.find("<failure message=\"step 2 (checkout): at $.error.code") != std::string::npos);
    CHECK(xml.find("classname=\"" + dir + "/a-right\"") != std::string::npos);  // no ".json" dot in the class
    // --fail-fast stops at the first failure; --filter picks by name or file.
    write(dir + "/c-right.json", kScenario);
    const auto fast = run_shopctl({"replay", dir, "--fail-fast"});
    CHECK(fast.exit_code == 1);
    CHECK(fast.out.find("1 passed, 1 failed") != std::string::npos);
    CHECK(run_shopctl({"replay", dir, "--filter", "c-right"}).out.find("1 passed, 0 failed") != std::string::npos);
    CHECK(run_shopctl({"replay", dir, "--filter", "no-such"}).exit_code == 66);
    remove_tree(dir);
}

TEST_CASE("an empty directory fails the replay; a typo in expect_state is a malformed scenario with a suggestion") {
    const std::string dir = make_temp_dir();
    const auto empty = run_shopctl({"replay", dir});
    CHECK(empty.exit_code == 66);
    CHECK(empty.err.find("no scenario files") != std::string::npos);
    std::string typo = kScenario;
    typo.replace(typo.find("\"stock\": {\"10\""), 7, "\"stonk\"");
    write(dir + "/typo.json", typo);
    const auto bad = run_shopctl({"replay", dir});
    CHECK(bad.exit_code == 65);
    CHECK(bad.out.find("expect_state.stonk: unknown key; did you mean 'stock'?") != std::string::npos);
    remove_tree(dir);
}

TEST_CASE("a malformed scenario exits 65 naming file and field, and the others still run") {
    const std::string dir = make_temp_dir();
    write(dir + "/a-right.json", kScenario);
    write(dir + "/b-bad.json", R"({"name": "bad", "steps": [{"checkout": {}, "frobnicate": 1}]})");
    const auto r = run_shopctl({"replay", dir, "--json"});
    CHECK(r.exit_code == 65);
    const json report = json::parse(r.out);
    CHECK(report["passed"] == 1);
    CHECK(report["malformed"] == 1);
    const std::string error = report["scenarios"][1]["error"];
    CHECK(error.find("b-bad.json") != std::string::npos);
    CHECK(error.find("steps[0].frobnicate") != std::string::npos);
    CHECK(run_shopctl({"replay", dir + "/missing.json"}).exit_code == 66);
    remove_tree(dir);
}

TEST_CASE("replay --db makes a scratch store, and never deletes or overwrites a store it did not create") {
    const std::string dir = make_temp_dir();
    write(dir + "/s.json", kScenario);
    write(dir + "/t.json", kScenario);
    // Two scenarios in one run: the store is rebuilt for the second, which passes too.
    REQUIRE(run_shopctl({"--db", dir + "/r.db", "replay", dir + "/s.json", dir + "/t.json"}).exit_code == 0);
    const auto orders = run_shopctl({"--db", dir + "/r.db", "orders", "list", "--json"});
    CHECK(json::parse(orders.out)["orders"].size() == 1);  // the last scenario's store is left to look at

    // A store that exists (a live one, or the scratch store of an earlier run) is refused, untouched.
    TestShop live;
    REQUIRE(live.checkout({{"member_id", 1}, {"items", {{{"product_id", 13}, {"quantity", 1}}}}}).exit_code == 0);
    const std::string before = live.dump();
    for (const std::string& db : {live.db(), dir + "/r.db"}) {
        const auto refused = run_shopctl({"--db", db, "replay", dir + "/s.json"});
        CHECK(refused.exit_code == 65);
        CHECK(refused.err.find("already exists") != std::string::npos);
        CHECK(refused.err.find("never overwrites") != std::string::npos);
    }
    CHECK(live.dump() == before);
    // A leftover -wal alone is someone's data too.
    write(dir + "/w.db-wal", "x");
    CHECK(run_shopctl({"--db", dir + "/w.db", "replay", dir + "/s.json"}).exit_code == 65);
    remove_tree(dir);
}

TEST_CASE("replay --record writes the scenario with what each step printed as its expectations") {
    const std::string dir = make_temp_dir();
    // A draft: steps, no expectations yet.
    json draft = json::parse(kScenario);
    for (auto& step : draft["steps"]) step.erase("expect");
    draft.erase("expect_state");
    write(dir + "/draft.json", draft.dump());
    const auto r = run_shopctl({"replay", dir + "/draft.json", "--record", dir + "/new.json"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("recorded 2 steps and the end state of 'last mug goes once'") != std::string::npos);
    const json recorded = json::parse(read_whole_file(dir + "/new.json"));
    CHECK(recorded["name"] == "last mug goes once");
    CHECK(recorded["steps"][0]["checkout"] == draft["steps"][0]["checkout"]);  // inputs kept as they were
    CHECK(recorded["steps"][0]["expect"]["total"] == 60000);
    CHECK(recorded["steps"][0]["expect"]["order_id"] == 1);
    CHECK(recorded["steps"][1]["expect"]["error"]["code"] == "OUT_OF_STOCK");
    CHECK(recorded["expect_state"]["stock"]["10"] == 0);
    CHECK(recorded["expect_state"]["orders"] == 1);
    // It passes as it is, and fails once an expectation is changed: the expectations are real.
    CHECK(run_shopctl({"replay", dir + "/new.json"}).exit_code == 0);
    json changed = recorded;
    changed["steps"][0]["expect"]["total"] = 59999;
    write(dir + "/changed.json", changed.dump());
    const auto failed = run_shopctl({"replay", dir + "/changed.json"});
    CHECK(failed.exit_code == 1);
    CHECK(failed.out.find("$.total") != std::string::npos);
    // To stdout with -, from stdin with -.
    const auto piped = run_shopctl({"replay", "-", "--record", "-"}, {draft.dump(), {}, ""});
    REQUIRE(piped.exit_code == 0);
    CHECK(json::parse(piped.out) == recorded);
    // One scenario file only.
    CHECK(run_shopctl({"replay", dir, "--record", dir + "/x.json"}).exit_code == 64);
    CHECK(run_shopctl({"replay", dir + "/draft.json", dir + "/new.json", "--record", "-"}).exit_code == 64);
    write(dir + "/bad.json", R"({"name": "bad", "steps": [{"chekout": {}}]})");
    CHECK(run_shopctl({"replay", dir + "/bad.json", "--record", "-"}).exit_code == 65);
    remove_tree(dir);
}
