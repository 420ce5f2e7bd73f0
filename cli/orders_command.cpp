// `orders list`, `orders show ID`, `orders cancel ID`, `orders return ID PRODUCT_ID:QTY...`.
#include <cctype>
#include <iostream>
#include <tuple>
#include <limits>
#include <memory>

#include "cli/command.h"
#include "cli/list_page.h"
#include "cli/output.h"
#include "cli/pair_lines.h"
#include "cli/receipt_text.h"
#include "core/cart.h"
#include "service/orders.h"
#include "service/views.h"

namespace shopctl::cli {

namespace {

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();

struct ListOptions {
    std::string member, since, until, status, key, before, limit = "100", format = "table";
};

// An RFC 3339 time, or a date alone (the start of that day, UTC).
Result<std::string> parse_time_argument(const std::string& text, const std::string& what) {
    std::string full = text;
    if (text.size() == 10 && text[4] == '-' && text[7] == '-') full += "T00:00:00Z";
    auto t = parse_timestamp(full);
    if (!t)
        return Error::InvalidInput(what + " " + quote_user_text(text) +
                                   " is neither an RFC 3339 time (2026-11-26T03:15:00Z) nor a date (2026-11-26)");
    return format_timestamp(*t);
}

// The filters `orders list` and `orders export` share, checked.
Result<db::OrderFilter> parse_order_filter(const ListOptions& o) {
    db::OrderFilter filter;
    if (!o.member.empty()) {
        auto m = parse_int_argument(o.member, "--member", 1, kMaxId);
        if (!m) return m.error();
        filter.member_id = *m;
    }
    for (auto [text, what, slot] : {std::tuple{&o.since, "--since", &filter.since}, std::tuple{&o.until, "--until", &filter.until}}) {
        if (text->empty()) continue;
        auto t = parse_time_argument(*text, what);
        if (!t) return t.error();
        *slot = *t;
    }
    if (!o.status.empty()) {
        auto status = parse_choice_argument(o.status, "--status", {"PAID", "PARTIALLY_RETURNED", "RETURNED", "CANCELLED"});
        if (!status) return status.error();
        filter.status = *status;
    }
    if (!o.key.empty()) filter.idempotency_key = o.key;
    return filter;
}

void add_order_filter_options(CLI::App& command, ListOptions& o) {
    command.add_option("--member", o.member, "only this member's orders")->type_name("INT");
    command.add_option("--since", o.since, "only orders created at or after this time (RFC 3339, or a date)")->type_name("TIME");
    command.add_option("--until", o.until, "only orders created before this time (RFC 3339, or a date)")->type_name("TIME");
    command.add_option("--status", o.status, "PAID, PARTIALLY_RETURNED, RETURNED or CANCELLED (any case)")->type_name("STATUS");
    command.add_option("--key", o.key, "the order with this idempotency_key (a PO number, say)")->type_name("KEY");
}

Json order_summary_json(const db::OrderSummary& x) {
    return {{"order_id", x.id},         {"member_id", x.member_id}, {"status", x.status},
            {"total", x.total},         {"item_count", x.items},    {"created_at", x.created_at}};
}

int run_list(const Settings& s, const ListOptions& o) {
    auto format = parse_list_format_option(s, o.format);
    if (!format) return report_error(s, format.error());
    auto parsed = parse_order_filter(o);
    if (!parsed) return report_error(s, parsed.error());
    db::OrderFilter filter = *parsed;
    auto page = parse_page(o.before, "--before", o.limit);
    if (!page) return report_error(s, page.error());
    filter.before_id = page->from_id;
    filter.limit = page->limit + 1;
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto orders = (*store)->list_orders(filter);
    if (!orders) return report_error(s, orders.error());
    // Newest first: the next page is --before the last id shown.
    const auto next_before = trim_to_page(*orders, page->limit, [](const db::OrderSummary& o) { return o.id; });
    if (s.json || *format != ListFormat::Table) {
        Json list = Json::array();
        for (const auto& x : *orders) list.push_back(order_summary_json(x));
        if (s.json) print_json({{"orders", list}, {"next_before", next_before ? Json(*next_before) : Json(nullptr)}});
        else print_delimited_page(*format, columns_of(order_summary_json({})), list, page->limit, "--before", next_before);
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& x : *orders)
        rows.push_back({std::to_string(x.id), std::to_string(x.member_id), x.status, std::to_string(x.items),
                        format_won(x.total), x.created_at});
    std::cout << render_table({"Order", "Member", "Status", "Items", "Total", "Created"}, rows, "rrlrrl");
    print_next_page_note(page->limit, "--before", next_before);
    return 0;
}

Json order_line_json(const db::OrderLineRow& r) {
    return {{"order_id", r.order_id},
            {"created_at", r.created_at},
            {"member_id", r.member_id},
            {"status", r.status},
            {"order_total", r.order_total},
            {"line_no", r.line_no},
            {"product_id", r.product_id},
            {"name", r.name},
            {"quantity", r.quantity},
            {"unit_price", r.unit_price},
            {"line_total", r.line_total},
            {"coupon_issue_id", r.coupon_issue_id ? Json(*r.coupon_issue_id) : Json(nullptr)},
            {"discount", r.discount},
            {"amount", r.amount},
            {"returned_quantity", r.returned_quantity},
            {"refunded", r.refunded}};
}

// One row per line item, streamed: the whole order book for a spreadsheet or a warehouse.
int run_export(const Settings& s, const ListOptions& o) {
    if (s.json)
        return report_error(s, Error::Usage("orders export writes csv, tsv or jsonl (--format); --json does not apply"));
    auto format = parse_list_format(o.format, {ListFormat::Csv, ListFormat::Tsv, ListFormat::Jsonl});
    if (!format) return report_error(s, format.error());
    auto filter = parse_order_filter(o);
    if (!filter) return report_error(s, filter.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    const auto columns = columns_of(order_line_json({}));
    if (*format != ListFormat::Jsonl) write_delimited_row(std::cout, *format, columns);
    auto done = (*store)->export_order_lines(*filter, [&](const db::OrderLineRow& row) {
        const Json object = order_line_json(row);
        if (*format == ListFormat::Jsonl) std::cout << object.dump() << '\n';
        else write_delimited_row(std::cout, *format, delimited_fields(object, columns));
    });
    std::cout.flush();
    if (!done) return report_error(s, done.error());
    return 0;
}

int run_show(const Settings& s, const std::string& id_text) {
    auto id = parse_int_argument(id_text, "ORDER_ID", 1, kMaxId);
    if (!id) return report_error(s, id.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto receipt = (*store)->order_receipt(*id);
    if (!receipt) return report_error(s, receipt.error());
    if (s.json) std::cout << receipt->to_json_text() << '\n';
    else std::cout << render_receipt(*receipt, false, use_colour());
    return 0;
}

// "10:2" -> product 10, 2 units. INVALID_INPUT naming the argument otherwise.
Result<ReturnRequest> parse_return_line(const std::string& text) {
    const auto colon = text.find(':');
    const std::string what = "return line " + quote_user_text(text, 60);
    if (colon == std::string::npos)
        return Error::InvalidInput(what + " must be PRODUCT_ID:QTY, e.g. 10:2");
    auto product = parse_int_argument(text.substr(0, colon), what + ": PRODUCT_ID", 1, kMaxId);
    if (!product) return product.error();
    auto quantity = parse_int_argument(text.substr(colon + 1), what + ": QTY", 1, kMaxQuantity);
    if (!quantity) return quantity.error();
    return ReturnRequest{*product, *quantity};
}

void print_return_text(const db::ReturnResult& r, const PlatformState& state, bool explain) {
    const bool cancel = r.payload.value("event", "") == "order.cancelled";
    std::cout << (r.dry_run ? "Dry run (nothing written): " : "") << "Order " << r.order_id
              << (cancel ? " cancelled" : " return #" + std::to_string(r.return_no)) << " at " << r.at << " -> "
              << r.status << '\n';
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : r.lines)
        rows.push_back({std::to_string(l.product_id), l.name, std::to_string(l.quantity),
                        std::to_string(l.returned_before + l.quantity) + "/" + std::to_string(l.ordered),
                        format_won(l.refund)});
    std::cout << render_table({"Product", "Name", "Qty", "Back", "Refund"}, rows, "rlrrr");
    if (explain)
        for (const auto& l : r.lines) std::cout << "  product " << l.product_id << ": " << l.explanation << '\n';
    std::cout << format_won(r.refunded) << " points " << (r.dry_run ? "would be " : "") << "refunded to member "
              << r.member_id << " (balance " << format_won(r.balance_after) << ")\n";
    if (!r.coupons_restored.empty() || !r.coupons_kept_used.empty()) {
        std::string restored, kept;
        for (auto id : r.coupons_restored) restored += (restored.empty() ? "#" : ", #") + std::to_string(id);
        for (auto id : r.coupons_kept_used) kept += (kept.empty() ? "#" : ", #") + std::to_string(id);
        if (!restored.empty()) std::cout << "Coupons back to ISSUED: " << restored << '\n';
        if (!kept.empty()) std::cout << "Coupons expired since, kept USED: " << kept << '\n';
    }
    if (!r.dry_run) std::cout << "Data platform: " << state.status << '\n';
}

struct ReturnOptions {
    std::string order_id;
    std::vector<std::string> lines;
    bool dry_run = false;
    bool explain = false;
};

// `orders return` and `orders cancel` (everything left): one transaction, then the push.
int run_return(const Settings& s, const ReturnOptions& o, bool cancel) {
    auto id = parse_int_argument(o.order_id, "ORDER_ID", 1, kMaxId);
    if (!id) return report_error(s, id.error());
    std::vector<ReturnRequest> requests;
    for (const auto& text : o.lines) {
        auto line = parse_return_line(text);
        if (!line) return report_error(s, line.error());
        requests.push_back(*line);
    }
    auto ctx = service::open_for_write_and_push(s);
    if (!ctx) return report_error(s, ctx.error());
    service::OutboxDelivery delivery(*ctx->store, ctx->platform);
    auto done = service::give_back(*ctx->store, delivery, *id, requests, cancel, ctx->now, o.dry_run, warn);
    if (!done) return report_error(s, done.error());
    if (s.json) print_json(service::return_json(done->result, done->platform, o.explain));
    else print_return_text(done->result, done->platform, o.explain);
    return 0;
}

// `orders cancel --from FILE`: the orders listed, one a line, each cancelled in its own
// transaction as `orders cancel ID` would be; one refused (not found, cancelled
// already) is reported and the rest go on. A bad line refuses the whole file first.
// Once a push fails, the rest are only queued: a platform that is down costs one
// timeout, not one an order.
int run_cancel_many(const Settings& s, const std::string& path) {
    auto ids = read_id_lines(path, "ORDER_ID", kMaxId);
    if (!ids) return report_error(s, ids.error());
    auto ctx = service::open_for_write_and_push(s);
    if (!ctx) return report_error(s, ctx.error());
    service::OutboxDelivery pushing(*ctx->store, ctx->platform);
    service::OutboxDelivery queue_only(*ctx->store, std::nullopt);
    service::OutboxDelivery* delivery = &pushing;
    Json cancelled = Json::array(), failed = Json::array();
    for (const IdLine& line : *ids) {
        auto done = service::give_back(*ctx->store, *delivery, line.id, {}, true, ctx->now, false, warn);
        if (!done) {
            print_error_line(done.error(), "line " + std::to_string(line.line) + ": order " + std::to_string(line.id) + ": ");
            failed.push_back({{"line", line.line}, {"order_id", line.id}, {"error", done.error().to_json()}});
            continue;
        }
        if (s.json) cancelled.push_back(service::return_json(done->result, done->platform));
        else
            std::cout << "order " << line.id << " cancelled: " << format_won(done->result.refunded)
                      << " points refunded to member " << done->result.member_id << "; data platform "
                      << done->platform.status << '\n';
        if (delivery == &pushing && pushing.configured() && done->platform.status != "SENT") {
            warn("the data platform did not take a push: the rest are queued for `shopctl outbox flush`");
            delivery = &queue_only;
        }
    }
    if (s.json) print_json({{"cancelled", cancelled}, {"failed", failed}});
    else
        std::cout << "cancelled " << ids->size() - failed.size() << " of " << ids->size() << " order"
                  << (ids->size() == 1 ? "" : "s") << (failed.empty() ? "" : "; " + std::to_string(failed.size()) + " refused (above)")
                  << '\n';
    return failed.empty() ? 0 : 1;
}

}  // namespace

void add_orders_command(CommandSetup setup) {
    auto* orders = setup.app.add_subcommand("orders", "List, show, cancel and return orders");
    orders->require_subcommand(1);
    orders->group("Orders");
    orders->footer("Example:\n  shopctl orders list --member 1 --json\n  shopctl orders show 7\n  shopctl orders cancel 7");
    RunFunction& selected = setup.selected;

    auto* list = orders->add_subcommand("list", "List orders, newest first");
    auto lo = std::make_shared<ListOptions>();
    add_order_filter_options(*list, *lo);
    list->add_option("--before", lo->before, "only orders with a smaller id: the next page")->type_name("INT");
    list->add_option("--limit", lo->limit, "at most this many (default 100); a longer list says how to go on")->type_name("INT");
    list->footer("Example:\n  shopctl orders list --status paid --since 2026-11-01 --until 2026-12-01\n"
                 "  shopctl orders list --json | jq .next_before   # then: --before N");
    list->add_option("--format", lo->format, "table (default), csv or tsv: a header row of the JSON keys, then the rows")->type_name("FORMAT");
    list->callback([lo, &selected] { selected = [lo](const Settings& s) { return run_list(s, *lo); }; });

    auto* exp = orders->add_subcommand("export", "Every line item of the orders chosen, one row each, oldest first");
    auto eo = std::make_shared<ListOptions>();
    eo->format = "csv";
    add_order_filter_options(*exp, *eo);
    exp->add_option("--format", eo->format, "csv (default, RFC 4180), tsv or jsonl")->type_name("FORMAT");
    exp->footer("Example:\n  shopctl orders export --since 2026-11-01 --until 2026-12-01 > november.csv\n"
                "  shopctl orders export --format jsonl | jq -s 'map(.amount) | add'");
    exp->callback([eo, &selected] { selected = [eo](const Settings& s) { return run_export(s, *eo); }; });

    auto* show = orders->add_subcommand("show", "Print an order's receipt");
    auto show_id = std::make_shared<std::string>();
    show->add_option("ORDER_ID", *show_id, "the order id")->type_name("INT")->required();
    show->footer("Example:\n  shopctl orders show 7 --json");
    show->callback([show_id, &selected] { selected = [show_id](const Settings& s) { return run_show(s, *show_id); }; });

    auto* cancel = orders->add_subcommand(
        "cancel", "Cancel an order: everything not yet returned comes back, points refunded, valid coupons reissued");
    auto co = std::make_shared<ReturnOptions>();
    auto cancel_from = std::make_shared<std::string>();
    cancel->add_option("ORDER_ID", co->order_id, "the order id")->type_name("INT");
    cancel->add_option("--from", *cancel_from,
                       "a file (or - for stdin) of order ids, one a line: each cancelled on its own, refusals reported")
        ->type_name("FILE");
    cancel->footer("Example:\n  shopctl orders cancel 7 --json\n  shopctl orders cancel --from recalled-orders.txt");
    cancel->callback([co, cancel_from, &selected] {
        selected = [co, cancel_from](const Settings& s) {
            if (co->order_id.empty() == cancel_from->empty())
                return report_error(s, Error::Usage("orders cancel: give ORDER_ID, or --from FILE (see shopctl orders cancel --help)"));
            return cancel_from->empty() ? run_return(s, *co, true) : run_cancel_many(s, *cancel_from);
        };
    });

    auto* ret = orders->add_subcommand(
        "return", "Take back part of an order: stock back, the exact refund in points, coupons back once whole");
    auto ro = std::make_shared<ReturnOptions>();
    ret->add_option("ORDER_ID", ro->order_id, "the order id")->type_name("INT")->required();
    ret->add_option("LINES", ro->lines, "what comes back, as PRODUCT_ID:QTY (e.g. 10:2 11:1)")->type_name("PRODUCT_ID:QTY")->required();
    ret->add_flag("--dry-run", ro->dry_run, "print the refund without writing anything");
    ret->add_flag("--explain", ro->explain, "say how each line's refund was found");
    ret->footer("Example:\n  shopctl orders return 7 10:1 --dry-run --explain\n  shopctl orders return 7 10:1 11:2 --json");
    ret->callback([ro, &selected] { selected = [ro](const Settings& s) { return run_return(s, *ro, false); }; });
}

}  // namespace shopctl::cli
