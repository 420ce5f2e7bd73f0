// `products list`: price, stock and sale status; `products set`: live price, status
// and name changes (SPEC.md section 11).
#include <iostream>
#include <limits>
#include <memory>

#include "cli/command.h"
#include "cli/list_page.h"
#include "cli/output.h"
#include "cli/receipt_text.h"

namespace shopctl::cli {

namespace {

Json product_json(const db::ProductRow& p) {
    return {{"product_id", p.id}, {"name", p.name}, {"price", p.price}, {"stock", p.stock}, {"status", p.status}};
}

struct SetOptions {
    std::string id, price, status, name;
    bool name_given = false;
};

int run_set(const Settings& s, const SetOptions& o) {
    auto id = parse_int_argument(o.id, "PRODUCT_ID", 1, std::numeric_limits<int64_t>::max());
    if (!id) return report_error(s, id.error());
    db::ProductChange change;
    if (!o.price.empty()) {
        auto price = parse_int_argument(o.price, "--price", 0, kMaxStoredAmount);
        if (!price) return report_error(s, price.error());
        change.price = *price;
    }
    if (!o.status.empty()) {
        auto status = parse_choice_argument(o.status, "--status", {"ON_SALE", "SALE_ENDED"});
        if (!status) return report_error(s, status.error());
        change.on_sale = *status == "ON_SALE";
    }
    if (o.name_given) {
        if (o.name.empty() || utf8_length(o.name) > 200)
            return report_error(s, Error::InvalidInput("--name must be 1 to 200 characters long"));
        change.name = o.name;
    }
    if (!change.price && !change.on_sale && !change.name)
        return report_error(s, Error::Usage("products set: nothing to change; give --price, --status or --name"));
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto row = (*store)->set_product(*id, change);
    if (!row) return report_error(s, row.error());
    if (s.json) print_json(product_json(*row));
    else std::cout << "product " << row->id << " " << row->name << ": price " << format_won(row->price) << ", stock "
                   << format_won(row->stock) << ", " << row->status << '\n';
    return 0;
}

struct ListOptions {
    std::string status, after, limit = "100", format = "table";
};

int run_list(const Settings& s, const ListOptions& o) {
    auto format = parse_list_format_option(s, o.format);
    if (!format) return report_error(s, format.error());
    db::ProductFilter filter;
    if (!o.status.empty()) {
        auto status = parse_choice_argument(o.status, "--status", {"ON_SALE", "SALE_ENDED"});
        if (!status) return report_error(s, status.error());
        filter.status = *status;
    }
    auto page = parse_page(o.after, "--after", o.limit);
    if (!page) return report_error(s, page.error());
    filter.after_id = page->from_id.value_or(0);
    filter.limit = page->limit + 1;
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto rows = (*store)->list_products(filter);
    if (!rows) return report_error(s, rows.error());
    const auto next_after = trim_to_page(*rows, page->limit, [](const db::ProductRow& p) { return p.id; });
    if (s.json || *format != ListFormat::Table) {
        Json list = Json::array();
        for (const auto& p : *rows) list.push_back(product_json(p));
        if (s.json) print_json({{"products", list}, {"next_after", next_after ? Json(*next_after) : Json(nullptr)}});
        else print_delimited_page(*format, columns_of(product_json(db::ProductRow{})), list, page->limit, "--after", next_after);
        return 0;
    }
    std::vector<std::vector<std::string>> table;
    for (const auto& p : *rows)
        table.push_back({std::to_string(p.id), p.name, format_won(p.price), format_won(p.stock), p.status});
    std::cout << render_table({"Id", "Name", "Price", "Stock", "Status"}, table, "rlrrl");
    print_next_page_note(page->limit, "--after", next_after);
    return 0;
}

}  // namespace

void add_products_command(CommandSetup setup) {
    auto* products = setup.app.add_subcommand("products", "List products and change them live");
    products->require_subcommand(1);
    products->group("Store");
    auto* list = products->add_subcommand("list", "List products with price, stock and status, by id");
    auto lo = std::make_shared<ListOptions>();
    list->add_option("--status", lo->status, "ON_SALE or SALE_ENDED (any case)")->type_name("STATUS");
    list->add_option("--after", lo->after, "only products with a larger id: the next page")->type_name("INT");
    list->add_option("--limit", lo->limit, "at most this many (default 100); a longer list says how to go on")->type_name("INT");
    list->add_option("--format", lo->format, "table (default), csv or tsv: a header row of the JSON keys, then the rows")->type_name("FORMAT");
    list->footer("Example:\n  shopctl products list --status sale_ended\n"
                 "  shopctl products list --json --limit 1000000 | jq '.products[] | select(.stock == 0)'");
    products->footer("Example:\n  shopctl products list\n  shopctl products set 10 --price 13000");
    auto* set = products->add_subcommand("set", "Change a product's price, sale status or name, live");
    auto so = std::make_shared<SetOptions>();
    set->add_option("PRODUCT_ID", so->id, "the product id")->type_name("INT")->required();
    set->add_option("--price", so->price, "the new price in won")->type_name("INT");
    set->add_option("--status", so->status, "ON_SALE or SALE_ENDED (any case)")->type_name("STATUS");
    set->add_option("--name", so->name, "the new name")->type_name("NAME")->each([so](const std::string&) { so->name_given = true; });
    set->footer("Example:\n  shopctl products set 10 --price 13000 --status ON_SALE");
    RunFunction& selected = setup.selected;
    set->callback([so, &selected] { selected = [so](const Settings& s) { return run_set(s, *so); }; });
    list->callback([lo, &selected] { selected = [lo](const Settings& s) { return run_list(s, *lo); }; });
}

}  // namespace shopctl::cli
