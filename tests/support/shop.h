// TestShop: a temporary directory with an initialised store loaded from a fixture,
// and helpers to run shopctl against it with the clock pinned.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"

namespace shopctl::test {

inline constexpr const char* kNow = "2026-11-26T03:15:00Z";

// The shop most tests use: members 1 (50,000 points), 2 (1,000), 3 (0); products
// 10 Mug 12,000 x5, 11 Tea 5,000 x3, 12 Old Lamp (sale ended), 13 Pen 1,000 x100;
// coupons issued to member 1: 3 (10% off mugs, max 3,000), 4 (3,000 off orders of
// 20,000+), 5 (expired), 6 (not yet valid), 7 (already USED); 8 issued to member 2.
nlohmann::json base_fixture();

class TestShop {
public:
    // `store`: where the store is (a postgresql:// URI, say); by default a new SQLite
    // file in the shop's directory.
    explicit TestShop(const nlohmann::json& fixture = base_fixture(), const std::string& store = "");
    ~TestShop();
    TestShop(const TestShop&) = delete;
    TestShop& operator=(const TestShop&) = delete;

    const std::string& dir() const { return dir_; }
    const std::string& db() const { return db_; }
    std::string write_file(const std::string& name, const std::string& content) const;

    // shopctl --db <db> --now kNow <args...>
    ProcessResult run(const std::vector<std::string>& args, const RunOptions& options = {}) const;
    // checkout of a cart given as JSON, through a file, with --json.
    ProcessResult checkout(const nlohmann::json& cart, const std::vector<std::string>& extra = {}) const;
    std::string dump() const;

private:
    std::string dir_;
    std::string db_;
};

std::string make_temp_dir();
void remove_tree(const std::string& path);

}  // namespace shopctl::test
