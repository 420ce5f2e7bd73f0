// `init`: create the store or upgrade its schema; safe to run twice.
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
            auto report = db::SqliteStore::init(service::store_options(s));
            if (!report) return report_error(s, report.error());
            if (s.json) {
                print_json({{"db", s.db_path}, {"created", report->created}, {"from_version", report->from_version},
                            {"schema_version", report->to_version}});
            } else if (report->created) {
                std::cout << "created store " << s.db_path << " (schema version " << report->to_version << ")\n";
            } else if (report->from_version < report->to_version) {
                std::cout << "upgraded store " << s.db_path << " from schema version " << report->from_version
                          << " to " << report->to_version << '\n';
            } else {
                std::cout << "store " << s.db_path << " is up to date (schema version " << report->to_version << ")\n";
            }
            return 0;
        };
    });
}

}  // namespace shopctl::cli
