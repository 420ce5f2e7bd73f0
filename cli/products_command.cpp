// `products list`: price, stock and sale status.
#include <iostream>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/receipt_text.h"

namespace shopctl::cli {

void add_products_command(CommandSetup setup) {
    auto* products = setup.app.add_subcommand("products", "List products");
    products->require_subcommand(1);
    products->group("Store");
    auto* list = products->add_subcommand("list", "List products with price, stock and status");
    list->footer("Example:\n  shopctl products list --json | jq '.products[] | select(.stock == 0)'");
    products->footer("Example:\n  shopctl products list");
    RunFunction& selected = setup.selected;
    list->callback([&selected] {
        selected = [](const Settings& s) {
            auto store = service::open_store(s);
            if (!store) return report_error(s, store.error());
            auto rows = (*store)->list_products();
            if (!rows) return report_error(s, rows.error());
            if (s.json) {
                Json list = Json::array();
                for (const auto& p : *rows)
                    list.push_back({{"product_id", p.id}, {"name", p.name}, {"price", p.price}, {"stock", p.stock},
                                    {"status", p.status}});
                print_json({{"products", list}});
                return 0;
            }
            std::vector<std::vector<std::string>> table;
            for (const auto& p : *rows)
                table.push_back({std::to_string(p.id), p.name, format_won(p.price), std::to_string(p.stock), p.status});
            std::cout << render_table({"Id", "Name", "Price", "Stock", "Status"}, table, "rlrrl");
            return 0;
        };
    });
}

}  // namespace shopctl::cli
