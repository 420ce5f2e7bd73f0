// `orders list`, `orders show ID`, `orders cancel ID`.
#include <iostream>
#include <limits>
#include <memory>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/receipt_text.h"
#include "service/outbox_delivery.h"
#include "service/views.h"

namespace shopctl::cli {

namespace {

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();

struct ListOptions {
    std::string member, since, status, limit = "100";
};

int run_list(const Settings& s, const ListOptions& o) {
    db::OrderFilter filter;
    if (!o.member.empty()) {
        auto m = parse_int_argument(o.member, "--member", 1, kMaxId);
        if (!m) return report_error(s, m.error());
        filter.member_id = *m;
    }
    if (!o.since.empty()) {
        auto t = parse_timestamp(o.since);
        if (!t) return report_error(s, Error::InvalidInput("--since '" + o.since + "' is not an RFC 3339 timestamp"));
        filter.since = format_timestamp(*t);
    }
    if (!o.status.empty()) {
        if (o.status != "PAID" && o.status != "CANCELLED")
            return report_error(s, Error::InvalidInput("--status must be PAID or CANCELLED, got '" + o.status + "'"));
        filter.status = o.status;
    }
    auto limit = parse_int_argument(o.limit, "--limit", 1, 1'000'000);
    if (!limit) return report_error(s, limit.error());
    filter.limit = *limit;
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto orders = (*store)->list_orders(filter);
    if (!orders) return report_error(s, orders.error());
    if (s.json) {
        Json list = Json::array();
        for (const auto& x : *orders)
            list.push_back({{"order_id", x.id}, {"member_id", x.member_id}, {"status", x.status}, {"total", x.total},
                            {"items", x.items}, {"created_at", x.created_at}});
        print_json({{"orders", list}});
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& x : *orders)
        rows.push_back({std::to_string(x.id), std::to_string(x.member_id), x.status, std::to_string(x.items),
                        format_won(x.total), x.created_at});
    std::cout << render_table({"Order", "Member", "Status", "Items", "Total", "Created"}, rows, "rrlrrl");
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

int run_cancel(const Settings& s, const std::string& id_text) {
    auto id = parse_int_argument(id_text, "ORDER_ID", 1, kMaxId);
    if (!id) return report_error(s, id.error());
    auto now = service::resolve_now(s);
    if (!now) return report_error(s, now.error());
    auto platform = service::platform_config(s);
    if (!platform) return report_error(s, platform.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto cancelled = (*store)->cancel_order(*id, *now, platform->has_value());
    if (!cancelled) return report_error(s, cancelled.error());
    service::OutboxDelivery delivery(**store, *platform);
    PlatformState state;
    if (auto pushed = delivery.deliver(cancelled->outbox_id, *now, warn)) state = *pushed;
    if (s.json) {
        print_json(service::cancel_json(*cancelled, state));
        return 0;
    }
    std::cout << "Order " << cancelled->order_id << " cancelled at " << cancelled->cancelled_at << ": "
              << format_won(cancelled->refunded) << " points refunded to member " << cancelled->member_id
              << " (balance " << format_won(cancelled->balance_after) << ")\n";
    std::cout << "Stock returned:";
    for (const auto& r : cancelled->payload["restocked"])
        std::cout << " product " << r["product_id"].get<int64_t>() << " +" << r["quantity"].get<int64_t>() << ";";
    std::cout << "\nCoupons back to ISSUED: " << cancelled->coupons_restored.size()
              << (cancelled->coupons_kept_used.empty() ? "" : " (expired ones stay USED: " +
                                                                  std::to_string(cancelled->coupons_kept_used.size()) + ")")
              << "\nData platform: " << state.status << '\n';
    return 0;
}

}  // namespace

void add_orders_command(CommandSetup setup) {
    auto* orders = setup.app.add_subcommand("orders", "List, show and cancel orders");
    orders->require_subcommand(1);
    orders->group("Orders");
    orders->footer("Example:\n  shopctl orders list --member 1 --json\n  shopctl orders show 7\n  shopctl orders cancel 7");
    RunFunction& selected = setup.selected;

    auto* list = orders->add_subcommand("list", "List orders, newest first");
    auto lo = std::make_shared<ListOptions>();
    list->add_option("--member", lo->member, "only this member's orders");
    list->add_option("--since", lo->since, "only orders created at or after this RFC 3339 time");
    list->add_option("--status", lo->status, "PAID or CANCELLED");
    list->add_option("--limit", lo->limit, "at most this many (default 100)");
    list->footer("Example:\n  shopctl orders list --status PAID --since 2026-11-01T00:00:00Z");
    list->callback([lo, &selected] { selected = [lo](const Settings& s) { return run_list(s, *lo); }; });

    auto* show = orders->add_subcommand("show", "Print an order's receipt");
    auto show_id = std::make_shared<std::string>();
    show->add_option("ORDER_ID", *show_id, "the order id")->required();
    show->footer("Example:\n  shopctl orders show 7 --json");
    show->callback([show_id, &selected] { selected = [show_id](const Settings& s) { return run_show(s, *show_id); }; });

    auto* cancel = orders->add_subcommand(
        "cancel", "Cancel an order: stock back, points refunded, still-valid coupons back to ISSUED");
    auto cancel_id = std::make_shared<std::string>();
    cancel->add_option("ORDER_ID", *cancel_id, "the order id")->required();
    cancel->footer("Example:\n  shopctl orders cancel 7 --json");
    cancel->callback(
        [cancel_id, &selected] { selected = [cancel_id](const Settings& s) { return run_cancel(s, *cancel_id); }; });
}

}  // namespace shopctl::cli
