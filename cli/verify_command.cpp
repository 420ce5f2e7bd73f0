// `verify`: check the store's invariants; exit 0 when none is broken, 1 otherwise.
#include <iostream>

#include "cli/command.h"
#include "cli/output.h"

namespace shopctl::cli {

void add_verify_command(CommandSetup setup) {
    auto* sub = setup.app.add_subcommand("verify", "Check the store's invariants; print each violation");
    sub->footer("Example:\n  shopctl verify || echo 'store needs attention'");
    sub->group("Store");
    RunFunction& selected = setup.selected;
    sub->callback([&selected] {
        selected = [](const Settings& s) {
            auto store = service::open_store(s);
            if (!store) return report_error(s, store.error());
            auto violations = (*store)->verify();
            if (!violations) return report_error(s, violations.error());
            if (s.json) {
                Json list = Json::array();
                for (const auto& v : *violations) list.push_back({{"check", v.check}, {"message", v.message}});
                print_json({{"ok", violations->empty()}, {"violations", list}});
            } else if (violations->empty()) {
                std::cout << "ok: every invariant holds\n";
            } else {
                for (const auto& v : *violations) std::cout << v.check << ": " << v.message << '\n';
            }
            if (!violations->empty())
                std::cerr << "shopctl: verify: " << violations->size() << " violation(s)\n";
            return violations->empty() ? 0 : 1;
        };
    });
}

}  // namespace shopctl::cli
