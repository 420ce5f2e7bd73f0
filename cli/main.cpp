// shopctl: wires the commands, parses the command line, runs the one chosen, and
// maps every failure to its exit code. Nothing else lives here.
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/output.h"
#include "core/suggest.h"

namespace {

using namespace shopctl;
using namespace shopctl::cli;

// "unknown command 'chekout'; did you mean 'checkout'?" for a misspelled command word.
std::string usage_message(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
    const CLI::App* level = &app;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--db" || word == "--now" || word == "--busy-timeout" || word == "--platform-url" ||
            word == "--platform-timeout") {
            ++i;  // skip the option's value
            continue;
        }
        if (word.empty() || word[0] == '-') continue;
        bool known = false;
        for (const CLI::App* sub : level->get_subcommands([](const CLI::App*) { return true; }))
            if (sub->get_name() == word) {
                level = sub;
                known = true;
                break;
            }
        if (known) continue;
        if (level->get_subcommands([](const CLI::App*) { return true; }).empty()) break;
        std::string best;
        size_t best_distance = 3;
        for (const CLI::App* sub : level->get_subcommands([](const CLI::App*) { return true; })) {
            const size_t d = edit_distance(word, sub->get_name());
            if (d < best_distance) {
                best_distance = d;
                best = sub->get_name();
            }
        }
        if (dynamic_cast<const CLI::ExtrasError*>(&e) || dynamic_cast<const CLI::RequiredError*>(&e)) {
            std::string m = "unknown command '" + word + "'";
            if (!best.empty()) m += "; did you mean '" + best + "'?";
            return m + " (see shopctl --help)";
        }
        break;
    }
    return std::string(e.what()) + " (see shopctl --help)";
}

bool wants_json(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--json") return true;
    return false;
}

int run(int argc, char** argv) {
    Settings settings;
    std::string busy_timeout, platform_timeout;
    CLI::App app{"shopctl: checkout with a SQLite store; members pay with pre-charged points.", "shopctl"};
    app.fallthrough();  // global options are accepted after the command words too
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("shopctl ") + SHOPCTL_VERSION);
    app.footer(
        "Exit codes: 0 ok, 10-20 checkout refusals (see README), 64 usage, 65 invalid input, 66 input not found,\n"
        "69 platform unavailable, 74 store error, 75 store busy.\n\nExample:\n"
        "  shopctl init && shopctl load fixtures/demo.json && shopctl checkout fixtures/demo-cart.json");
    app.add_option("--db", settings.db_path, "store: a SQLite file (default ./shop.db) or a postgresql:// URI")->envname("SHOPCTL_DB")->group("Global options");
    app.add_option("--now", settings.now, "pin the clock: an RFC 3339 UTC time")->envname("SHOPCTL_NOW")->group("Global options");
    app.add_flag("--json", settings.json, "print exactly one JSON document on stdout")->group("Global options");
    app.add_option("--busy-timeout", busy_timeout, "wait this many ms for the store's write lock (default 5000)")
        ->group("Global options");
    app.add_option("--platform-url", settings.platform_url, "data platform URL (http:// or https://)")
        ->envname("SHOPCTL_PLATFORM_URL")
        ->group("Global options");
    app.add_option("--platform-timeout", platform_timeout, "total seconds per platform request (default 10)")
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
