// Replay: runs scenarios on fresh stores and compares what each step printed with
// what the scenario expects (a subset match: objects by key, arrays element by
// element, numbers exactly), then the store's state with expect_state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "core/result.h"
#include "qa/scenario.h"

namespace shopctl::qa {

struct Mismatch {
    std::string where;  // "step 2 (checkout)" or "expect_state"
    std::string path;   // "$.error.code"
    std::string expected;
    std::string actual;
};

struct ScenarioOutcome {
    std::string file;
    std::string name;
    bool malformed = false;  // the scenario itself is bad: `error` says why
    std::string error;
    std::vector<Mismatch> mismatches;
    double seconds = 0;
    // With ReplayOptions::keep_outputs: each step's JSON output, and the store's state
    // after the last (what `replay --record` writes as the expectations).
    std::vector<Json> outputs;
    std::optional<Json> state;
    bool passed() const { return !malformed && mismatches.empty(); }
};

struct ReplayOptions {
    // A file store recreated per scenario, or a postgresql:// database in which each
    // scenario gets a new schema; else in memory.
    std::optional<std::string> db_path;
    int busy_timeout_ms = 5000;
    std::optional<UnixSeconds> default_now;
    bool keep_outputs = false;
};

// The scenario files named by the arguments: files as given, directories walked
// for *.json (sorted; fixtures beside the scenarios are skipped).
Result<std::vector<std::string>> scenario_files(const std::vector<std::string>& arguments);

ScenarioOutcome replay_file(const std::string& path, const ReplayOptions& options);
ScenarioOutcome replay_scenario(const Scenario& scenario, const ReplayOptions& options);

// Appends to `out` every place where `actual` does not contain `expected`.
void match_subset(const Json& expected, const Json& actual, const std::string& path, const std::string& where,
                  std::vector<Mismatch>& out);

}  // namespace shopctl::qa
