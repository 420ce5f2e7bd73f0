// shopctl: wires the commands, parses the command line, runs the one chosen, and
// maps every failure to its exit code. Nothing else lives here.
#include <algorithm>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "cli/output.h"
#include "core/suggest.h"

namespace {

using namespace shopctl;
using namespace shopctl::cli;

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App*) { return true; });
}

// The option of `app` with this long name ("--explain"), or null.
const CLI::Option* find_long_option(const CLI::App& app, const std::string& name) {
    for (const CLI::Option* option : app.get_options())
        for (const std::string& long_name : option->get_lnames())
            if ("--" + long_name == name) return option;
    return nullptr;
}

// The known word nearest to `word`, for "did you mean" (empty when none is near).
std::string nearest(const std::string& word, const std::vector<std::string>& known) {
    return closest_word(word, std::vector<std::string_view>(known.begin(), known.end()));
}

// What the command line got wrong, in words a user can act on: "unknown command
// 'chekout'; did you mean 'checkout'?", "unknown option '--explian'; did you mean
// '--explain'?". Walks the words as CLI11 does: command words pick the level; a
// level's own options and the global ones are known there.
std::string usage_message(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
    const CLI::App* level = &app;
    std::string path = "shopctl";  // the command words so far
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.rfind("--", 0) == 0 && word.size() > 2) {
            const std::string name = word.substr(0, word.find('='));
            const CLI::Option* option = find_long_option(*level, name);
            if (!option) option = find_long_option(app, name);
            if (!option) {
                std::vector<std::string> known;
                for (const CLI::App* where : {level, &app})
                    for (const CLI::Option* o : where->get_options())
                        for (const std::string& long_name : o->get_lnames()) known.push_back("--" + long_name);
                const std::string best = nearest(name, known);
                return "unknown option '" + name + "'" + (best.empty() ? "" : "; did you mean '" + best + "'?") +
                       " (see " + path + " --help)";
            }
            if (option->get_expected_min() > 0 && word.find('=') == std::string::npos) ++i;  // its value
            continue;
        }
        if (word.empty() || word[0] == '-') continue;
        const auto subs = subcommands_of(*level);
        const auto next = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* sub) { return sub->get_name() == word; });
        if (next != subs.end()) {
            level = *next;
            path += " " + word;
            continue;
        }
        if (subs.empty()) continue;  // a positional argument of the command
        if (dynamic_cast<const CLI::ExtrasError*>(&e) || dynamic_cast<const CLI::RequiredError*>(&e)) {
            std::vector<std::string> names;
            for (const CLI::App* sub : subs) names.push_back(sub->get_name());
            const std::string best = nearest(word, names);
            return "unknown command '" + word + "'" + (best.empty() ? "" : "; did you mean '" + best + "'?") +
                   " (see shopctl --help)";
        }
        break;
    }
    return std::string(e.what()) + " (see shopctl --help)";
}

// `shopctl help orders list`: the same text as `shopctl orders list --help`.
void add_help_command(CommandSetup setup) {
    auto* help = setup.app.add_subcommand("help", "Show the help of a command: shopctl help orders list");
    auto words = std::make_shared<std::vector<std::string>>();
    help->add_option("COMMAND", *words, "a command, and its subcommand if it has them");
    help->footer("Example:\n  shopctl help outbox flush");
    const CLI::App* root = &setup.app;
    RunFunction& selected = setup.selected;
    help->callback([root, words, &selected] {
        selected = [root, words](const Settings& s) {
            const CLI::App* level = root;
            std::string path = "shopctl";
            for (const std::string& word : *words) {
                const auto subs = subcommands_of(*level);
                const auto next = std::find_if(subs.begin(), subs.end(),
                                               [&](const CLI::App* sub) { return sub->get_name() == word; });
                if (next == subs.end() || word == "help") {
                    std::vector<std::string> names;
                    for (const CLI::App* sub : subs) names.push_back(sub->get_name());
                    const std::string best = nearest(word, names);
                    return report_error(s, Error::Usage("help: unknown command '" + word + "'" +
                                                        (best.empty() ? "" : "; did you mean '" + best + "'?") +
                                                        " (see shopctl --help)"));
                }
                level = *next;
                path += " " + word;
            }
            // The formatter itself: App::help would show the selected command's (this one's).
            std::cout << level->get_formatter()->make_help(level, path, CLI::AppFormatMode::Normal);
            return 0;
        };
    });
}

bool wants_json(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--json") return true;
    return false;
}

int run(int argc, char** argv) {
    Settings settings;
    std::string busy_timeout, platform_timeout;
    CLI::App app{"shopctl: checkout on a SQLite file or a PostgreSQL server; members pay with pre-charged points.", "shopctl"};
    app.fallthrough();  // global options are accepted after the command words too
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("shopctl ") + SHOPCTL_VERSION);
    app.footer(
        "Exit codes: 0 ok, 10-20 checkout refusals (see README), 64 usage, 65 invalid input, 66 input not found,\n"
        "69 platform unavailable, 74 store error, 75 store busy.\n\nExample:\n"
        "  shopctl init && shopctl load fixtures/demo.json && shopctl checkout fixtures/demo-cart.json");
    app.add_option("--db", settings.db_path, "store: a SQLite file (default ./shop.db) or a postgresql:// URI")->type_name("PATH|URI")->envname("SHOPCTL_DB")->group("Global options");
    app.add_option("--now", settings.now, "pin the clock: an RFC 3339 UTC time")->type_name("TIME")->envname("SHOPCTL_NOW")->group("Global options");
    app.add_flag("--json", settings.json, "print exactly one JSON document on stdout")->group("Global options");
    bool quiet_flag = false;
    app.add_flag("-q,--quiet", quiet_flag, "stderr carries errors only: no warnings, progress or summaries")
        ->group("Global options");
    app.add_option("--busy-timeout", busy_timeout, "wait this many ms for the store's write lock (default 5000)")->type_name("INT")
        ->group("Global options");
    app.add_option("--platform-url", settings.platform_url, "data platform URL (http:// or https://)")->type_name("URL")
        ->envname("SHOPCTL_PLATFORM_URL")
        ->group("Global options");
    app.add_option("--platform-timeout", platform_timeout, "total seconds per platform request (default 10)")->type_name("INT")
        ->group("Global options");

    // A later --db or --now overrides an earlier one (an alias may carry defaults).
    for (CLI::Option* opt : app.get_options())
        if (opt->get_group() == "Global options") opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

    RunFunction selected;
    CommandSetup setup{app, selected};
    add_init_command(setup);
    add_load_command(setup);
    add_checkout_commands(setup);
    add_batch_command(setup);
    add_replay_command(setup);
    add_orders_command(setup);
    add_points_command(setup);
    add_coupons_command(setup);
    add_products_command(setup);
    add_stock_command(setup);
    add_outbox_command(setup);
    add_verify_command(setup);
    add_help_command(setup);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        settings.json = wants_json(argc, argv);
        return report_error(settings, Error::Usage(usage_message(app, e, argc, argv)));
    }
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--db" || std::string(argv[i]).rfind("--db=", 0) == 0) settings.db_on_command_line = true;
    if (!busy_timeout.empty()) {
        auto ms = parse_int_argument(busy_timeout, "--busy-timeout", 0, std::numeric_limits<int>::max());
        if (!ms) return report_error(settings, ms.error());
        settings.busy_timeout_ms = *ms;
    }
    if (!platform_timeout.empty()) {
        auto seconds = parse_int_argument(platform_timeout, "--platform-timeout", 1, 3600);
        if (!seconds) return report_error(settings, seconds.error());
        settings.platform_timeout_seconds = *seconds;
    }
    set_quiet(quiet_flag);
    if (!selected) return report_error(settings, Error::Usage("no command given (see shopctl --help)"));
    return selected(settings);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "shopctl: STORE_ERROR: unexpected failure: " << e.what() << '\n';
        return 74;
    }
}
