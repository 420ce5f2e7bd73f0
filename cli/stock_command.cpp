// `stock add PRODUCT_ID DELTA`: a relative stock change, one short transaction, safe
// while checkouts run (SPEC.md section 11).
#include <iostream>
#include <limits>
#include <memory>

#include "cli/command.h"
#include "cli/output.h"

namespace shopctl::cli {

void add_stock_command(CommandSetup setup) {
    auto* stock = setup.app.add_subcommand("stock", "Change stock levels, live");
    stock->require_subcommand(1);
    stock->group("Store");
    auto* add = stock->add_subcommand("add", "Add DELTA units to a product's stock (negative takes away)");
    auto id = std::make_shared<std::string>();
    auto delta = std::make_shared<std::string>();
    add->add_option("PRODUCT_ID", *id, "the product id")->type_name("INT")->required();
    add->add_option("DELTA", *delta, "units to add; negative to take away (never below zero)")->type_name("INT")
        ->required()
        ->allow_extra_args(false);
    add->footer("Example:\n  shopctl stock add 10 24\n  shopctl stock add 10 -3");
    stock->footer("Example:\n  shopctl stock add 10 24");
    RunFunction& selected = setup.selected;
    add->callback([id, delta, &selected] {
        selected = [id, delta](const Settings& s) {
            auto product = parse_int_argument(*id, "PRODUCT_ID", 1, std::numeric_limits<int64_t>::max());
            if (!product) return report_error(s, product.error());
            auto units = parse_int_argument(*delta, "DELTA", -kMaxStoredAmount, kMaxStoredAmount);
            if (!units) return report_error(s, units.error());
            auto store = service::open_store(s);
            if (!store) return report_error(s, store.error());
            auto row = (*store)->add_stock(*product, *units);
            if (!row) return report_error(s, row.error());
            if (s.json)
                print_json({{"product_id", row->id}, {"name", row->name}, {"stock", row->stock}, {"added", *units}});
            else
                std::cout << "product " << row->id << " " << row->name << ": stock " << format_won(row->stock) << " ("
                          << (*units >= 0 ? "+" : "") << format_won(*units) << ")\n";
            return 0;
        };
    });
}

}  // namespace shopctl::cli
