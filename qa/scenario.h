// Scenario: a QA replay file (SPEC.md section 8): a fixture, a pinned clock, steps
// with expectations, and the state expected afterwards. Parsing checks the file's
// own shape and names the field; what a step carries (a cart, say) is passed on
// as it is, so a scenario can also show how bad input is refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/fixture.h"
#include "core/json_reader.h"
#include "core/result.h"

namespace shopctl::qa {

enum class StepKind { Checkout, Quote, Batch, Cancel, Charge, Issue, Return, SetProduct, AddStock };

struct ScenarioStep {
    StepKind kind = StepKind::Checkout;
    std::string kind_name;
    Json input;                       // the cart, carts, order id, ...
    std::optional<Json> expect;       // subset of the step's JSON output
    bool explain = false;
    std::optional<UnixSeconds> now;   // this step's clock, if not the scenario's
};

struct Scenario {
    std::string file;
    std::string name;
    std::optional<UnixSeconds> now;
    Fixture fixture;
    std::vector<ScenarioStep> steps;
    std::optional<Json> expect_state;
};

// INVALID_INPUT naming the file and the field when the scenario is malformed.
Result<Scenario> parse_scenario_file(const std::string& path);
// The same for text already read; `path` names the file in messages and locates a
// fixture given as a relative path.
Result<Scenario> parse_scenario_text(std::string_view text, const std::string& path);

// Whether a JSON file under a replayed directory is a fixture (skipped), not a scenario.
bool looks_like_fixture(const Json& json);
// INVALID_INPUT naming the field: how a malformed scenario file is reported.
Error invalid_scenario(const std::string& field, const std::string& message);

}  // namespace shopctl::qa
