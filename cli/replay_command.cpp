// `replay SCENARIO.json... | DIR`: QA scenarios, PASS/FAIL with a readable diff,
// JUnit XML with --junit. Exit 0 only if every scenario passed; 65 if any scenario
// file was itself malformed; 1 if any failed.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/output.h"
#include "qa/replay.h"

namespace shopctl::cli {

namespace {

struct ReplayCommandOptions {
    std::vector<std::string> paths;
    std::string junit;
    std::string filter;
    bool fail_fast = false;
    std::string record;  // --record FILE: the scenario with what it printed as its expectations
};

// The JUnit class of a scenario: its file without ".json", whose dot would read as a package.
std::string junit_class(const std::string& file) {
    const auto dot = file.rfind(".json");
    return dot != std::string::npos && dot + 5 == file.size() ? file.substr(0, dot) : file;
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
                else out += c;
        }
    }
    return out;
}

std::string describe(const qa::Mismatch& m) {
    return m.where + ": at " + m.path + ": expected " + m.expected + ", got " + m.actual;
}

Status write_junit(const std::string& path, const std::vector<qa::ScenarioOutcome>& outcomes, double seconds) {
    std::ofstream out(path);
    if (!out) return Error::InvalidInput("cannot write JUnit file '" + path + "'");
    size_t failures = 0, errors = 0;
    for (const auto& o : outcomes) {
        failures += !o.malformed && !o.passed();
        errors += o.malformed;
    }
    char time[32];
    std::snprintf(time, sizeof time, "%.3f", seconds);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuites tests=\"" << outcomes.size() << "\" failures=\"" << failures << "\" errors=\"" << errors
        << "\" time=\"" << time << "\">\n"
        << "  <testsuite name=\"shopctl replay\" tests=\"" << outcomes.size() << "\" failures=\"" << failures
        << "\" errors=\"" << errors << "\" time=\"" << time << "\">\n";
    for (const auto& o : outcomes) {
        std::snprintf(time, sizeof time, "%.3f", o.seconds);
        out << "    <testcase classname=\"" << xml_escape(junit_class(o.file)) << "\" name=\"" << xml_escape(o.name) << "\" time=\""
            << time << "\"";
        if (o.passed()) {
            out << "/>\n";
            continue;
        }
        out << ">\n";
        if (o.malformed) {
            out << "      <error message=\"" << xml_escape(o.error) << "\">" << xml_escape(o.error) << "</error>\n";
        } else {
            std::string text;
            for (const auto& m : o.mismatches) text += describe(m) + "\n";
            out << "      <failure message=\"" << xml_escape(describe(o.mismatches.front())) << "\">" << xml_escape(text)
                << "</failure>\n";
        }
        out << "    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
    return ok_status();
}

// `replay SCENARIO --record FILE`: runs the scenario and writes it again with every
// step's `expect` set to what the step printed and `expect_state` to the store after
// it: a new scenario's expectations, to trim by hand to what matters.
int run_record(const Settings& s, const ReplayCommandOptions& o, const qa::ReplayOptions& base) {
    if (o.paths.size() != 1 || (o.paths[0] != "-" && std::filesystem::is_directory(o.paths[0])) || !o.junit.empty() ||
        !o.filter.empty())
        return report_error(s, Error::Usage("replay --record takes one scenario file (no directory, --junit or --filter)"));
    auto text = service::read_input(o.paths[0], service::kMaxDocumentBytes, qa::invalid_scenario);
    if (!text) return report_error(s, text.error());
    auto scenario = qa::parse_scenario_text(*text, o.paths[0]);
    if (!scenario) return report_error(s, scenario.error());
    qa::ReplayOptions options = base;
    options.keep_outputs = true;
    const auto outcome = qa::replay_scenario(*scenario, options);
    if (outcome.malformed) return report_error(s, Error::InvalidInput(outcome.error));
    auto recorded = parse_json_text(*text, qa::invalid_scenario, "the scenario");
    if (!recorded) return report_error(s, recorded.error());
    for (size_t i = 0; i < outcome.outputs.size(); ++i) (*recorded)["steps"][i]["expect"] = outcome.outputs[i];
    (*recorded)["expect_state"] = *outcome.state;
    const std::string out = recorded->dump(2) + "\n";
    if (o.record == "-") {
        std::cout << out;
    } else {
        std::ofstream file(o.record, std::ios::binary | std::ios::trunc);
        if (!(file << out) || !(file.flush()))
            return report_error(s, Error::InvalidInput("--record: cannot write " + quote_user_text(o.record)));
    }
    if (!quiet())
        std::cerr << "replay: recorded " << outcome.outputs.size() << " step" << (outcome.outputs.size() == 1 ? "" : "s")
                  << " and the end state of " << quote_user_text(outcome.name)
                  << (o.record == "-" ? "" : " to " + o.record) << '\n';
    return 0;
}

int run_replay(const Settings& s, const ReplayCommandOptions& o) {
    auto now = service::resolve_now(s);
    if (!now) return report_error(s, now.error());
    auto files = qa::scenario_files(o.paths);
    if (!files) return report_error(s, files.error());
    qa::ReplayOptions options;
    // Only a --db on the command line (not SHOPCTL_DB) puts replays in a file: a scratch
    // store that replay creates, rebuilds for every scenario and leaves holding the last
    // one. It never deletes or overwrites a file it did not create. A postgresql:// --db
    // replays each scenario in a new schema of that database, dropped afterwards.
    if (s.db_on_command_line && db::is_server_location(s.db_path)) {
        options.db_path = s.db_path;
    } else if (s.db_on_command_line) {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            if (std::filesystem::exists(s.db_path + suffix, ec))
                return report_error(s, Error::InvalidInput(
                                           "replay --db " + s.db_path + ": " + s.db_path + suffix +
                                           " already exists, and replay never overwrites a store it did not create; "
                                           "name a path that does not exist yet (replay creates it as a scratch store), "
                                           "or leave --db out to replay in memory"));
        options.db_path = s.db_path;
    }
    options.busy_timeout_ms = static_cast<int>(s.busy_timeout_ms);
    options.default_now = *now;
    if (!o.record.empty()) return run_record(s, o, options);

    std::vector<qa::ScenarioOutcome> outcomes;
    double total = 0;
    for (const auto& file : *files) {
        auto outcome = qa::replay_file(file, options);
        // --filter: only scenarios whose name or file holds the text.
        if (!o.filter.empty() && outcome.name.find(o.filter) == std::string::npos &&
            file.find(o.filter) == std::string::npos)
            continue;
        outcomes.push_back(std::move(outcome));
        const auto& r = outcomes.back();
        total += r.seconds;
        if (s.json) {
            if (o.fail_fast && !r.passed()) break;
            continue;
        }
        char time[32];
        std::snprintf(time, sizeof time, "%.0f ms", r.seconds * 1000);
        std::cout << (r.passed() ? "PASS  " : (r.malformed ? "BAD   " : "FAIL  ")) << r.name << "  (" << time << ")\n";
        if (r.malformed) std::cout << "      " << r.error << '\n';
        if (!r.passed() && !r.malformed) std::cout << "      file: " << r.file << '\n';
        for (const auto& m : r.mismatches)
            std::cout << "      " << m.where << ": at " << m.path << "\n        expected: " << m.expected
                      << "\n        actual:   " << m.actual << '\n';
        if (o.fail_fast && !r.passed()) break;
    }
    if (outcomes.empty())
        return report_error(s, Error{ErrorCode::InputNotFound, "no scenario matches --filter " + quote_user_text(o.filter),
                                     Json::object()});
    size_t passed = 0, malformed = 0;
    for (const auto& r : outcomes) {
        passed += r.passed();
        malformed += r.malformed;
    }
    const size_t failed = outcomes.size() - passed - malformed;
    if (s.json) {
        Json list = Json::array();
        for (const auto& r : outcomes) {
            Json mismatches = Json::array();
            for (const auto& m : r.mismatches)
                mismatches.push_back({{"where", m.where}, {"path", m.path}, {"expected", m.expected}, {"actual", m.actual}});
            list.push_back({{"file", r.file}, {"name", r.name}, {"passed", r.passed()}, {"malformed", r.malformed},
                            {"error", r.malformed ? Json(r.error) : Json(nullptr)}, {"mismatches", mismatches},
                            {"seconds", r.seconds}});
        }
        print_json({{"scenarios", list}, {"passed", passed}, {"failed", failed}, {"malformed", malformed}});
    } else {
        char time[32];
        std::snprintf(time, sizeof time, "%.2f s", total);
        std::cout << passed << " passed, " << failed << " failed" << (malformed ? ", " + std::to_string(malformed) + " malformed" : "")
                  << " (" << time << ")\n";
    }
    if (!o.junit.empty())
        if (auto w = write_junit(o.junit, outcomes, total); !w) return report_error(s, w.error());
    if (malformed) {
        std::cerr << "shopctl: INVALID_INPUT: " << malformed << " scenario file(s) are malformed\n";
        return exit_code(ErrorCode::InvalidInput);
    }
    if (failed) std::cerr << "shopctl: replay: " << failed << " scenario(s) failed\n";
    return failed ? 1 : 0;
}

}  // namespace

void add_replay_command(CommandSetup setup) {
    auto* sub = setup.app.add_subcommand("replay", "Replay QA scenarios: PASS/FAIL with a diff; JUnit XML with --junit");
    auto options = std::make_shared<ReplayCommandOptions>();
    sub->add_option("SCENARIOS", options->paths, "scenario files or directories of them; - reads one from stdin")->type_name("PATH")->required();
    sub->add_option("--junit", options->junit, "also write a JUnit XML report to this file")->type_name("FILE");
    sub->add_option("--filter", options->filter, "only scenarios whose name or file contains this text");
    sub->add_flag("--fail-fast", options->fail_fast, "stop at the first scenario that does not pass");
    sub->add_option("--record", options->record,
                    "run one scenario and write it to this file (- for stdout) with what each step printed as its "
                    "expect, and the store after it as expect_state")->type_name("FILE");
    sub->footer("Example:\n  shopctl replay fixtures/scenarios --junit replay.xml\n"
                "  shopctl replay draft.json --record new-scenario.json");
    sub->group("QA");
    RunFunction& selected = setup.selected;
    sub->callback([options, &selected] {
        selected = [options](const Settings& s) { return run_replay(s, *options); };
    });
}

}  // namespace shopctl::cli
