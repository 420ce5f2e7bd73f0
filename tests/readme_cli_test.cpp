// The README's examples run as written on the demo data: every ```sh block marked
// "runs on the demo data" is run in order, in one directory, with bash -e and pipefail,
// and a "# {...}" line after a command is output it must print.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/support/process.h"
#include "tests/support/shop.h"

using namespace shopctl::test;

namespace {

const char* kMarker = "<!-- README test: runs on the demo data -->";

std::vector<std::string> marked_blocks(const std::string& readme) {
    std::vector<std::string> blocks;
    std::istringstream in(readme);
    bool marked = false, inside = false;
    std::string block;
    for (std::string line; std::getline(in, line);) {
        if (inside) {
            if (line == "```") {
                blocks.push_back(block);
                inside = false;
            } else {
                block += line + "\n";
            }
        } else if (line == kMarker) {
            marked = true;
        } else if (marked && line == "```sh") {
            inside = true;
            marked = false;
            block.clear();
        } else if (!line.empty()) {
            marked = false;  // the marker stands right before its block
        }
    }
    return blocks;
}

}  // namespace

TEST_CASE("the README's examples run as written on the demo data") {
    const std::string source = SHOPCTL_SOURCE_DIR;
    const auto blocks = marked_blocks(read_whole_file(source + "/README.md"));
    REQUIRE(blocks.size() >= 5);  // a first checkout, scripting, batches, returns, the catalog
    const std::string dir = make_temp_dir();
    const std::string bin_dir = std::string(SHOPCTL_BIN).substr(0, std::string(SHOPCTL_BIN).rfind('/'));
    REQUIRE(run_program({"/bin/ln", "-s", source + "/fixtures", dir + "/fixtures"}).exit_code == 0);
    // The files the examples name as a user's own.
    std::ofstream(dir + "/cart.json") << R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 1}]})" "\n";
    std::ofstream(dir + "/orders.jsonl") << R"({"member_id": 2, "items": [{"product_id": 11, "quantity": 1}]})" "\n"
                                         << R"({"member_id": 1, "items": [{"product_id": 13, "quantity": 2}]})" "\n";
    for (size_t i = 0; i < blocks.size(); ++i) {
        INFO("README block " << i + 1 << ":\n" << blocks[i]);
        const auto r = run_program({"/bin/bash", "-c", "set -eo pipefail; export PATH=\"" + bin_dir + ":$PATH\"\n" + blocks[i]},
                                   RunOptions{"", {}, dir});
        INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
        CHECK(r.exit_code == 0);
        std::istringstream lines(blocks[i]);
        for (std::string line; std::getline(lines, line);)
            if (line.rfind("# {", 0) == 0) CHECK(r.out.find(line.substr(2)) != std::string::npos);
    }
    CHECK(run_program({bin_dir + "/shopctl", "verify"}, RunOptions{"", {}, dir}).exit_code == 0);
    remove_tree(dir);
}
