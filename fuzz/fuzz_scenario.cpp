// Any bytes as a scenario: parsed and replayed on an in-memory store, or refused as
// malformed; never a crash.
#include <cstdint>
#include <string>

#include "qa/replay.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto scenario = shopctl::qa::parse_scenario_text(
        std::string_view(reinterpret_cast<const char*>(data), size), "/nonexistent/fuzz.json");
    if (!scenario) return 0;
    if (scenario->steps.size() > 50) return 0;  // keep each run short
    shopctl::qa::ReplayOptions options;
    options.default_now = 1795662900;
    (void)shopctl::qa::replay_scenario(*scenario, options);
    return 0;
}
