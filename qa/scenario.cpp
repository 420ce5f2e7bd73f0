#include "qa/scenario.h"

#include <filesystem>

#include "service/context.h"

namespace shopctl::qa {

using namespace shopctl::service;  // inputs, batches, outbox and views are the service layer's

namespace {

struct Kind {
    const char* key;
    StepKind kind;
};
constexpr Kind kKinds[] = {{"checkout", StepKind::Checkout},       {"quote", StepKind::Quote},
                           {"batch", StepKind::Batch},             {"cancel", StepKind::Cancel},
                           {"charge", StepKind::Charge},           {"issue", StepKind::Issue},
                           {"return", StepKind::Return},           {"set_product", StepKind::SetProduct},
                           {"add_stock", StepKind::AddStock}};

Result<ScenarioStep> read_step(const Json& j, const std::string& path, ErrorMaker err) {
    if (auto s = expect_object(j, path, err); !s) return s.error();
    if (auto s = only_keys(j, path,
                           {"checkout", "quote", "batch", "cancel", "charge", "issue", "return", "set_product",
                            "add_stock", "expect", "explain", "now", "name"},
                           err);
        !s)
        return s.error();
    ScenarioStep step;
    int actions = 0;
    for (const Kind& k : kKinds)
        if (const Json* v = find_key(j, k.key)) {
            ++actions;
            step.kind = k.kind;
            step.kind_name = k.key;
            step.input = *v;
        }
    if (actions != 1)
        return err(path, "must hold exactly one of checkout, quote, batch, cancel, charge, issue, return, set_product, "
                         "add_stock");
    if (step.kind == StepKind::Batch)
        if (auto s = expect_array(step.input, field_path(path, "batch"), err); !s) return s.error();
    if (step.kind == StepKind::Charge || step.kind == StepKind::Issue || step.kind == StepKind::Return ||
        step.kind == StepKind::SetProduct || step.kind == StepKind::AddStock) {
        const std::string p = field_path(path, step.kind_name);
        if (auto s = expect_object(step.input, p, err); !s) return s.error();
    }
    if (const Json* e = find_key(j, "expect")) step.expect = *e;
    if (const Json* e = find_key(j, "explain")) {
        if (!e->is_boolean()) return err(field_path(path, "explain"), "must be true or false");
        step.explain = e->get<bool>();
    }
    auto now = read_optional_timestamp(j, "now", path, err);
    if (!now) return now.error();
    step.now = *now;
    return step;
}

}  // namespace

bool looks_like_fixture(const Json& json) {
    if (!json.is_object() || json.empty()) return false;
    for (auto it = json.begin(); it != json.end(); ++it)
        if (it.key() != "members" && it.key() != "products" && it.key() != "coupons" && it.key() != "coupon_issues")
            return false;
    return true;
}

Error invalid_scenario(const std::string& field, const std::string& message) {
    return Error::InvalidInput(field.empty() ? message : field + ": " + message);
}

Result<Scenario> parse_scenario_file(const std::string& path) {
    auto text = read_input(path, kMaxDocumentBytes, invalid_scenario);
    if (!text) return text.error();
    return parse_scenario_text(*text, path);
}

Result<Scenario> parse_scenario_text(std::string_view text, const std::string& path) {
    // Every message names the file; fields are named by their path inside it.
    static thread_local std::string current_file;
    current_file = path;
    const ErrorMaker err = [](const std::string& field, const std::string& message) {
        return Error::InvalidInput(current_file + ": " + (field.empty() ? message : field + ": " + message));
    };
    auto json = parse_json_text(text, err, "the scenario");
    if (!json) return json.error();
    const Json& j = *json;
    if (auto s = expect_object(j, "", err); !s) return s.error();
    if (auto s = only_keys(j, "", {"name", "now", "fixture", "steps", "expect_state", "description"}, err); !s)
        return s.error();
    Scenario sc;
    sc.file = path;
    if (const Json* n = find_key(j, "name")) {
        auto name = read_string(*n, "name", 1, 500, err);
        if (!name) return name.error();
        sc.name = *name;
    } else {
        sc.name = std::filesystem::path(path).stem().string();
    }
    auto now = read_optional_timestamp(j, "now", "", err);
    if (!now) return now.error();
    sc.now = *now;

    if (const Json* f = find_key(j, "fixture"); f && !f->is_null()) {
        Json fixture_json;
        if (f->is_string()) {
            const auto fixture_path = std::filesystem::path(path).parent_path() / f->get<std::string>();
            auto fixture_text = read_input(fixture_path.string(), kMaxDocumentBytes, invalid_scenario);
            if (!fixture_text) return err("fixture", fixture_text.error().message);
            auto parsed = parse_json_text(*fixture_text, err, "fixture file " + fixture_path.string());
            if (!parsed) return parsed.error();
            fixture_json = std::move(*parsed);
        } else if (f->is_object()) {
            fixture_json = *f;
        } else {
            return err("fixture", "must be an object or a path relative to the scenario file");
        }
        auto fixture = fixture_from_json(fixture_json);
        if (!fixture) return err("fixture", fixture.error().message);
        sc.fixture = std::move(*fixture);
    }

    const Json* steps = find_key(j, "steps");
    if (!steps) return err("steps", "is required");
    if (auto s = expect_array(*steps, "steps", err); !s) return s.error();
    for (size_t i = 0; i < steps->size(); ++i) {
        auto step = read_step((*steps)[i], index_path("steps", i), err);
        if (!step) return step.error();
        sc.steps.push_back(std::move(*step));
    }
    if (const Json* e = find_key(j, "expect_state"); e && !e->is_null()) {
        if (auto s = expect_object(*e, "expect_state", err); !s) return s.error();
        // A typo here would only ever show as a FAIL "(missing)": refused as malformed instead.
        if (auto s = only_keys(*e, "expect_state",
                               {"stock", "points", "coupon_issues", "product_status", "order_status", "orders", "outbox"},
                               err);
            !s)
            return s.error();
        sc.expect_state = *e;
    }
    return sc;
}

}  // namespace shopctl::qa
