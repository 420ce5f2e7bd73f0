// `load FIXTURE.json`: upsert a shop in one transaction; nothing written on bad input.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/output.h"
#include "core/fixture.h"

namespace shopctl::cli {

void add_load_command(CommandSetup setup) {
    auto* sub = setup.app.add_subcommand("load", "Upsert members, products, coupons and coupon issues from a fixture");
    auto path = std::make_shared<std::string>();
    sub->add_option("FIXTURE", *path, "fixture JSON file, or - to read stdin")->type_name("FILE")->required();
    sub->footer("Example:\n  shopctl load fixtures/demo.json");
    sub->group("Store");
    RunFunction& selected = setup.selected;
    sub->callback([path, &selected] {
        selected = [path](const Settings& s) {
            auto now = service::resolve_now(s);
            if (!now) return report_error(s, now.error());
            auto text = service::read_input(*path, service::kMaxDocumentBytes, Error::InvalidFixture);
            if (!text) return report_error(s, text.error());
            auto fixture = parse_fixture(*text);
            if (!fixture) return report_error(s, fixture.error());
            auto store = service::open_store(s);
            if (!store) return report_error(s, store.error());
            auto counts = (*store)->load_fixture(*fixture, *now);
            if (!counts) return report_error(s, counts.error());
            if (s.json)
                print_json({{"members", counts->members}, {"products", counts->products}, {"coupons", counts->coupons},
                            {"coupon_issues", counts->coupon_issues}});
            else
                std::cout << "loaded " << counts->members << " members, " << counts->products << " products, "
                          << counts->coupons << " coupons, " << counts->coupon_issues << " coupon issues\n";
            return 0;
        };
    });
}

}  // namespace shopctl::cli
