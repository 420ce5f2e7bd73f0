// `init`: create the store or upgrade its schema; safe to run twice.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/output.h"

namespace shopctl::cli {

void add_init_command(CommandSetup setup) {
    auto* sub = setup.app.add_subcommand("init", "Create the store (or upgrade its schema); safe to run twice");
    sub->footer("Example:\n  shopctl init --db shop.db");
    sub->group("Store");
    RunFunction& selected = setup.selected;
    sub->callback([&selected] {
        selected = [](const Settings& s) {
            auto report = db::init_store(service::store_options(s));
            if (!report) return report_error(s, report.error());
            if (report->tightened_from_mode && !s.json) {
                char mode[8];
                std::snprintf(mode, sizeof mode, "%04o", *report->tightened_from_mode);
                std::cout << db::display_location(s.db_path) << " was mode " << mode << " (readable by others): now 0600\n";
            }
            if (s.json) {
                print_json({{"db", db::display_location(s.db_path)}, {"created", report->created}, {"from_version", report->from_version},
                            {"schema_version", report->to_version},
                            {"permissions_tightened", report->tightened_from_mode.has_value()}});
            } else if (report->created) {
                std::cout << "created store " << db::display_location(s.db_path) << " (schema version " << report->to_version << ")\n";
            } else if (report->from_version < report->to_version) {
                std::cout << "upgraded store " << db::display_location(s.db_path) << " from schema version " << report->from_version
                          << " to " << report->to_version << '\n';
            } else {
                std::cout << "store " << db::display_location(s.db_path) << " is up to date (schema version " << report->to_version << ")\n";
            }
            return 0;
        };
    });
}

}  // namespace shopctl::cli
