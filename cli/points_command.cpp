// `points charge MEMBER AMOUNT` and `points show MEMBER`.
#include <algorithm>
#include <iostream>
#include <limits>
#include <memory>

#include "cli/command.h"
#include "cli/list_page.h"
#include "cli/output.h"
#include "cli/pair_lines.h"
#include "cli/receipt_text.h"
#include "service/views.h"

namespace shopctl::cli {

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

int run_charge(const Settings& s, const std::string& member_text, const std::string& amount_text) {
    auto member = parse_int_argument(member_text, "MEMBER", 1, kMax);
    if (!member) return report_error(s, member.error());
    auto amount = parse_int_argument(amount_text, "AMOUNT", 1, kMaxStoredAmount);
    if (!amount) return report_error(s, amount.error());
    auto now = service::resolve_now(s);
    if (!now) return report_error(s, now.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto points = (*store)->charge_points(*member, *amount, *now);
    if (!points) return report_error(s, points.error());
    if (s.json) {
        Json j = service::points_json(*points, false);
        j["charged"] = *amount;
        print_json(j);
    } else {
        std::cout << "member " << points->member_id << " (" << points->name << "): +" << format_won(*amount)
                  << " points, balance " << format_won(points->balance) << '\n';
    }
    return 0;
}

// `points charge --from FILE`: every line's charge in one transaction, or none.
int run_charge_many(const Settings& s, const std::string& path) {
    auto lines = read_pair_lines(path, "MEMBER", kMax, "AMOUNT", kMaxStoredAmount);
    if (!lines) return report_error(s, lines.error());
    auto now = service::resolve_now(s);
    if (!now) return report_error(s, now.error());
    std::vector<db::PointCharge> charges;
    for (const PairLine& l : *lines) charges.push_back({l.line, l.first, l.second});
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto charged = (*store)->charge_points_many(charges, *now);
    if (!charged) return report_error(s, charged.error());
    if (s.json) {
        Json list = Json::array();
        for (const auto& c : *charged) list.push_back({{"member_id", c.member_id}, {"charged", c.amount}, {"balance", c.balance}});
        print_json({{"charges", list}});
    } else {
        std::cout << "charged " << charged->size() << " line" << (charged->size() == 1 ? "" : "s")
                  << " in one transaction\n";
    }
    return 0;
}

struct ShowOptions {
    std::string member, before, limit = "100", format = "table";
};

// The balance and the latest page of the history, shown oldest first; --before pages
// back to earlier entries.
int run_show(const Settings& s, const ShowOptions& o) {
    auto member = parse_int_argument(o.member, "MEMBER", 1, kMax);
    if (!member) return report_error(s, member.error());
    auto format = parse_list_format_option(s, o.format);
    if (!format) return report_error(s, format.error());
    auto page = parse_page(o.before, "--before", o.limit);
    if (!page) return report_error(s, page.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto points = (*store)->member_points(*member, db::HistoryPage{page->from_id, page->limit + 1});
    if (!points) return report_error(s, points.error());
    auto& history = points->history;  // newest first
    const auto next_before = trim_to_page(history, page->limit, [](const db::PointEntry& h) { return h.id; });
    std::reverse(history.begin(), history.end());
    if (s.json) {
        Json j = service::points_json(*points, true);
        j["next_before"] = next_before ? Json(*next_before) : Json(nullptr);
        print_json(j);
        return 0;
    }
    if (*format != ListFormat::Table) {
        print_delimited_page(*format, columns_of(service::point_entry_json({})), service::points_json(*points, true)["history"],
                             page->limit, "--before", next_before, "latest");
        return 0;
    }
    std::cout << "member " << points->member_id << " (" << points->name << "): balance " << format_won(points->balance)
              << "\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& h : history)
        rows.push_back({std::to_string(h.id), h.created_at, h.reason, h.order_id ? std::to_string(*h.order_id) : "-",
                        format_won(h.delta), format_won(h.balance_after)});
    std::cout << render_table({"Id", "When", "Reason", "Order", "Delta", "Balance"}, rows, "rllrrr");
    print_next_page_note(page->limit, "--before", next_before, "latest");
    return 0;
}

}  // namespace

void add_points_command(CommandSetup setup) {
    auto* points = setup.app.add_subcommand("points", "Charge and show members' points");
    points->require_subcommand(1);
    points->group("Members");
    points->footer("Example:\n  shopctl points charge 1 50000\n  shopctl points show 1");
    RunFunction& selected = setup.selected;

    auto* charge = points->add_subcommand("charge", "Add points to a member (a CHARGE history row)");
    auto member = std::make_shared<std::string>();
    auto amount = std::make_shared<std::string>();
    auto from = std::make_shared<std::string>();
    charge->add_option("MEMBER", *member, "member id")->type_name("INT");
    charge->add_option("AMOUNT", *amount, "points to add, a positive integer")->type_name("INT");
    charge->add_option("--from", *from,
                       "a file (or - for stdin) of 'MEMBER AMOUNT' lines (spaces, tab or comma): all in one transaction")->type_name("FILE");
    charge->footer("Example:\n  shopctl points charge 1 50000 --json\n  shopctl points charge --from november-bonus.csv");
    charge->callback([member, amount, from, &selected] {
        selected = [member, amount, from](const Settings& s) {
            if (from->empty() == (member->empty() || amount->empty()) || (!from->empty() && !member->empty()))
                return report_error(s, Error::Usage("points charge: give MEMBER AMOUNT, or --from FILE (see shopctl points charge --help)"));
            return from->empty() ? run_charge(s, *member, *amount) : run_charge_many(s, *from);
        };
    });

    auto* show = points->add_subcommand("show", "Show a member's balance and point history");
    auto so = std::make_shared<ShowOptions>();
    show->add_option("MEMBER", so->member, "member id")->type_name("INT")->required();
    show->add_option("--before", so->before, "only history entries with a smaller id: the earlier page")->type_name("INT");
    show->add_option("--limit", so->limit, "at most this many entries, the latest (default 100); a longer history says how to go on")
        ->type_name("INT");
    show->add_option("--format", so->format, "table (default), csv or tsv: the history, a header row of its JSON keys")
        ->type_name("FORMAT");
    show->footer("Example:\n  shopctl points show 1 --json\n  shopctl points show 1 --json | jq .next_before   # then: --before N\n"
                 "  shopctl points show 1 --format csv --limit 1000000 > history.csv");
    show->callback([so, &selected] { selected = [so](const Settings& s) { return run_show(s, *so); }; });
}

}  // namespace shopctl::cli
