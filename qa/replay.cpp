#include "qa/replay.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "core/cart.h"
#include "db/open_store.h"
#include "service/batch_runner.h"
#include "service/context.h"
#include "service/views.h"

namespace shopctl::qa {

using namespace shopctl::service;  // inputs, batches, outbox and views are the service layer's

namespace fs = std::filesystem;

void match_subset(const Json& expected, const Json& actual, const std::string& path, const std::string& where,
                  std::vector<Mismatch>& out) {
    if (expected.is_object()) {
        if (!actual.is_object()) {
            out.push_back({where, path, expected.dump(), actual.dump()});
            return;
        }
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            const std::string child = path + "." + it.key();
            const auto found = actual.find(it.key());
            if (found == actual.end()) out.push_back({where, child, it.value().dump(), "(missing)"});
            else match_subset(it.value(), *found, child, where, out);
        }
        return;
    }
    if (expected.is_array()) {
        if (!actual.is_array()) {
            out.push_back({where, path, expected.dump(), actual.dump()});
            return;
        }
        if (expected.size() != actual.size())
            out.push_back({where, path + ".length", std::to_string(expected.size()), std::to_string(actual.size())});
        for (size_t i = 0; i < std::min(expected.size(), actual.size()); ++i)
            match_subset(expected[i], actual[i], path + "[" + std::to_string(i) + "]", where, out);
        return;
    }
    // Scalars: numbers exactly (an integer never equals a fraction), strings, booleans, null.
    const bool same = expected.is_number() && actual.is_number()
                          ? (expected.is_number_float() || actual.is_number_float()
                                 ? expected.get<double>() == actual.get<double>() &&
                                       expected.is_number_float() == actual.is_number_float()
                                 : expected.dump() == actual.dump())
                          : expected == actual;
    if (!same) out.push_back({where, path, expected.dump(), actual.dump()});
}

Result<std::vector<std::string>> scenario_files(const std::vector<std::string>& arguments) {
    std::vector<std::string> files;
    for (const auto& arg : arguments) {
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            std::vector<std::string> found;
            for (const auto& entry : fs::recursive_directory_iterator(arg, ec))
                if (entry.is_regular_file() && entry.path().extension() == ".json") {
                    // A malformed file is kept, so the replay reports it.
                    auto text = read_input(entry.path().string(), kMaxDocumentBytes, invalid_scenario);
                    auto json = text ? parse_json_text(*text, invalid_scenario, "the file") : Result<Json>(text.error());
                    if (json && looks_like_fixture(*json)) continue;
                    found.push_back(entry.path().string());
                }
            std::sort(found.begin(), found.end());
            // An empty or wrong directory must not pass as "0 of 0": CI would go green on a typo.
            if (found.empty())
                return Error{ErrorCode::InputNotFound, arg + ": no scenario files (*.json) in this directory",
                             Json{{"path", arg}}};
            files.insert(files.end(), found.begin(), found.end());
        } else if (arg == "-" || fs::exists(arg, ec)) {  // "-": one scenario on stdin
            files.push_back(arg);
        } else {
            return Error::InputNotFound(arg);
        }
    }
    return files;
}

namespace {

Json error_json(const Error& e) { return Json{{"error", e.to_json()}}; }

Result<int64_t> int_field(const Json& input, const char* key, const std::string& where) {
    const Json* v = input.is_object() ? find_key(input, key) : nullptr;
    if (!v || !v->is_number_integer()) return Error::InvalidInput(where + ": " + key + " must be an integer");
    return v->get<int64_t>();
}

// Runs one step and returns the JSON the matching command would print.
Result<Json> run_step(db::Store& store, const ScenarioStep& step, UnixSeconds now, const std::string& where) {
    OutboxDelivery no_platform(store, std::nullopt);  // replay never pushes
    switch (step.kind) {
        case StepKind::Checkout:
        case StepKind::Quote: {
            auto cart = cart_from_json(step.input);
            if (!cart) return error_json(cart.error());
            const auto mode = step.kind == StepKind::Quote ? db::CheckoutMode::Quote : db::CheckoutMode::Order;
            auto result = store.checkout(*cart, now, mode, std::nullopt);
            if (!result) return error_json(result.error());
            return result->receipt.to_json(step.explain);
        }
        case StepKind::Batch: {
            Json lines = Json::array();
            BatchRunner runner(store, no_platform, [now] { return now; }, kDefaultCommitEvery,
                               [&](const std::vector<BatchResult>& results) {
                                   for (const auto& r : results) lines.push_back(r.to_json());
                               });
            int64_t line = 0;
            for (const Json& cart : step.input) runner.add(++line, cart.dump());
            runner.run_group();
            return lines;
        }
        case StepKind::Cancel: {
            auto id = step.input.is_object() ? int_field(step.input, "order_id", where)
                                             : (step.input.is_number_integer() ? Result<int64_t>(step.input.get<int64_t>())
                                                                                : int_field(step.input, "order_id", where));
            if (!id) return id.error();
            auto cancelled = store.return_order(*id, {}, true, now, std::nullopt, false);
            if (!cancelled) return error_json(cancelled.error());
            return return_json(*cancelled, PlatformState{});
        }
        case StepKind::Charge: {
            auto member = int_field(step.input, "member_id", where);
            if (!member) return member.error();
            auto amount = int_field(step.input, "amount", where);
            if (!amount) return amount.error();
            if (*amount < 1) return error_json(Error::InvalidInput("AMOUNT must be a positive integer"));
            auto points = store.charge_points(*member, *amount, now);
            if (!points) return error_json(points.error());
            Json j = points_json(*points, false);
            j["charged"] = *amount;
            return j;
        }
        case StepKind::Issue: {
            auto member = int_field(step.input, "member_id", where);
            if (!member) return member.error();
            auto coupon = int_field(step.input, "coupon_id", where);
            if (!coupon) return coupon.error();
            auto id = store.issue_coupon(*member, *coupon);
            if (!id) return error_json(id.error());
            return coupon_issue_json(*id, *coupon, *member);
        }
        case StepKind::Return: {
            // {"order_id": 1, "items": [{"product_id": 10, "quantity": 1}], "dry_run": false}
            auto id = int_field(step.input, "order_id", where);
            if (!id) return id.error();
            const Json* items = find_key(step.input, "items");
            if (!items || !items->is_array() || items->empty())
                return Error::InvalidInput(where + ": return.items must be a non-empty array");
            std::vector<ReturnRequest> requests;
            for (const Json& item : *items) {
                auto product = int_field(item, "product_id", where);
                if (!product) return product.error();
                auto quantity = int_field(item, "quantity", where);
                if (!quantity) return quantity.error();
                requests.push_back({*product, *quantity});
            }
            const Json* dry = find_key(step.input, "dry_run");
            const bool dry_run = dry && dry->is_boolean() && dry->get<bool>();
            auto returned = store.return_order(*id, requests, false, now, std::nullopt, dry_run);
            if (!returned) return error_json(returned.error());
            return return_json(*returned, PlatformState{}, step.explain);
        }
        case StepKind::SetProduct: {
            // {"product_id": 10, "price": 13000, "status": "SALE_ENDED", "name": "..."}
            auto id = int_field(step.input, "product_id", where);
            if (!id) return id.error();
            db::ProductChange change;
            if (find_key(step.input, "price")) {
                auto price = int_field(step.input, "price", where);
                if (!price) return price.error();
                change.price = *price;
            }
            if (const Json* status = find_key(step.input, "status")) change.on_sale = *status == "ON_SALE";
            if (const Json* name = find_key(step.input, "name"); name && name->is_string()) change.name = name->get<std::string>();
            auto row = store.set_product(*id, change);
            if (!row) return error_json(row.error());
            return Json{{"product_id", row->id}, {"name", row->name}, {"price", row->price}, {"stock", row->stock},
                        {"status", row->status}};
        }
        case StepKind::AddStock: {
            // {"product_id": 10, "delta": -2}
            auto id = int_field(step.input, "product_id", where);
            if (!id) return id.error();
            auto delta = int_field(step.input, "delta", where);
            if (!delta) return delta.error();
            auto row = store.add_stock(*id, *delta);
            if (!row) return error_json(row.error());
            return Json{{"product_id", row->id}, {"name", row->name}, {"stock", row->stock}, {"added", *delta}};
        }
    }
    return Error::InvalidInput(where + ": unknown step");
}

// The scratch store for one scenario: the files at db_path are replay's own (the
// command refused a path that existed before it ran).
Result<std::unique_ptr<db::Store>> fresh_store(const ReplayOptions& options) {
    if (!options.db_path) return db::fresh_memory_store();
    if (db::is_server_location(*options.db_path))
        return db::fresh_server_store({*options.db_path, options.busy_timeout_ms});
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ec;
        fs::remove(*options.db_path + suffix, ec);
    }
    const db::StoreOptions so{*options.db_path, options.busy_timeout_ms};
    if (auto init = db::init_store(so); !init) return init.error();
    return db::open_store(so);
}

}  // namespace

ScenarioOutcome replay_scenario(const Scenario& sc, const ReplayOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    ScenarioOutcome outcome;
    outcome.file = sc.file;
    outcome.name = sc.name;
    auto finish = [&]() -> ScenarioOutcome {
        outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return outcome;
    };
    auto malformed = [&](const std::string& why) {
        outcome.malformed = true;
        outcome.error = why;
        return finish();
    };
    auto store = fresh_store(options);
    if (!store) return malformed(store.error().message);
    const UnixSeconds now = sc.now ? *sc.now : options.default_now.value_or(0);
    if (auto loaded = (*store)->load_fixture(sc.fixture, now); !loaded)
        return malformed(sc.file + ": fixture: " + loaded.error().message);
    for (size_t i = 0; i < sc.steps.size(); ++i) {
        const ScenarioStep& step = sc.steps[i];
        const std::string where = "step " + std::to_string(i + 1) + " (" + step.kind_name + ")";
        auto output = run_step(**store, step, step.now.value_or(now), where);
        if (!output) return malformed(sc.file + ": " + output.error().message);
        if (step.expect) match_subset(*step.expect, *output, "$", where, outcome.mismatches);
        if (options.keep_outputs) outcome.outputs.push_back(std::move(*output));
    }
    if (options.keep_outputs) {
        auto state = (*store)->state_summary();
        if (!state) return malformed(state.error().message);
        outcome.state = std::move(*state);
    }
    if (sc.expect_state) {
        auto state = (*store)->state_summary();
        if (!state) return malformed(state.error().message);
        Json expected = *sc.expect_state;
        // "outbox": 3 means three rows in all; an object is matched by status.
        if (expected.contains("outbox") && expected["outbox"].is_number_integer())
            expected["outbox"] = Json{{"total", expected["outbox"]}};
        match_subset(expected, *state, "$", "expect_state", outcome.mismatches);
    }
    return finish();
}

ScenarioOutcome replay_file(const std::string& path, const ReplayOptions& options) {
    auto scenario = parse_scenario_file(path);
    if (!scenario) {
        ScenarioOutcome outcome;
        outcome.file = path;
        outcome.name = fs::path(path).stem().string();
        outcome.malformed = true;
        outcome.error = scenario.error().message;
        return outcome;
    }
    return replay_scenario(*scenario, options);
}

}  // namespace shopctl::qa
