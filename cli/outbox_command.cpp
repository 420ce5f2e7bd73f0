// `outbox list`, `outbox flush [--all]`, `outbox retry ID` (SPEC.md section 7).
#include <iostream>
#include <limits>
#include <memory>

#include "cli/command.h"
#include "cli/list_page.h"
#include "cli/output.h"
#include "cli/progress_line.h"
#include "cli/receipt_text.h"
#include "service/outbox_delivery.h"

namespace shopctl::cli {

namespace {

Json row_json(const db::OutboxRow& r) {
    auto opt = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
    return {{"id", r.id},
            {"order_id", r.order_id},
            {"event", r.event},
            {"status", r.status},
            {"attempts", r.attempts},
            {"last_error", opt(r.last_error)},
            {"next_attempt_at", opt(r.next_attempt_at)},
            {"sent_at", opt(r.sent_at)},
            {"created_at", r.created_at}};
}

void print_rows(const std::vector<db::OutboxRow>& rows) {
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows)
        table.push_back({std::to_string(r.id), std::to_string(r.order_id), r.event, r.status, std::to_string(r.attempts),
                         r.next_attempt_at.value_or("-"), r.sent_at.value_or("-"), r.last_error.value_or("")});
    std::cout << render_table({"Id", "Order", "Event", "Status", "Attempts", "Next attempt", "Sent", "Last error"}, table, "rrllrlll");
}

struct ListOptions {
    std::string status, after, limit = "100", format = "table";
};

int run_list(const Settings& s, const ListOptions& o) {
    auto format = parse_list_format_option(s, o.format);
    if (!format) return report_error(s, format.error());
    db::OutboxFilter filter;
    if (!o.status.empty()) {
        auto status = parse_choice_argument(o.status, "--status", {"PENDING", "SENT", "DEAD"});
        if (!status) return report_error(s, status.error());
        filter.status = *status;
    }
    auto page = parse_page(o.after, "--after", o.limit);
    if (!page) return report_error(s, page.error());
    filter.after_id = page->from_id.value_or(0);
    filter.limit = page->limit + 1;
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto rows = (*store)->list_outbox(filter);
    if (!rows) return report_error(s, rows.error());
    const auto next_after = trim_to_page(*rows, page->limit, [](const db::OutboxRow& r) { return r.id; });
    if (s.json || *format != ListFormat::Table) {
        Json list = Json::array();
        for (const auto& r : *rows) list.push_back(row_json(r));
        if (s.json) print_json({{"outbox", list}, {"next_after", next_after ? Json(*next_after) : Json(nullptr)}});
        else print_delimited_page(*format, columns_of(row_json(db::OutboxRow{})), list, page->limit, "--after", next_after);
    } else {
        print_rows(*rows);
        print_next_page_note(page->limit, "--after", next_after);
    }
    return 0;
}

int run_flush(const Settings& s, bool all) {
    auto ctx = service::open_for_write_and_push(s);
    if (!ctx) return report_error(s, ctx.error());
    service::OutboxDelivery delivery(*ctx->store, ctx->platform);
    ProgressLine progress(!quiet());
    auto report = delivery.flush(ctx->now, all, [&progress](const service::FlushReport& so_far) {
        progress.update([&] {
            const double seconds = progress.seconds();
            const auto rate = seconds > 0 ? static_cast<int64_t>(static_cast<double>(so_far.tried) / seconds) : 0;
            return ProgressFigures{std::nullopt,
                                   {format_won(so_far.tried) + " tried", format_won(so_far.delivered) + " delivered",
                                    format_won(so_far.failed) + " failed"},
                                   format_won(rate) + "/s",
                                   std::nullopt};
        });
    });
    progress.finish();
    if (!report) return report_error(s, report.error());
    if (s.json) {
        Json rows = Json::array();
        for (const auto& r : report->rows) rows.push_back(row_json(r));
        print_json({{"tried", report->tried}, {"delivered", report->delivered}, {"failed", report->failed},
                    {"dead", report->dead}, {"outbox", rows}});
    } else {
        std::cout << "outbox flush: " << report->tried << " tried, " << report->delivered << " delivered, "
                  << report->failed << " failed" << (report->dead ? " (" + std::to_string(report->dead) + " now DEAD)" : "")
                  << '\n';
    }
    if (report->failed > 0) {
        std::cerr << "shopctl: PLATFORM_UNAVAILABLE: " << report->failed << " of " << report->tried
                  << " outbox rows were not delivered\n";
        return exit_code(ErrorCode::PlatformUnavailable);
    }
    return 0;
}

// Every DEAD row back in the queue (after the platform's outage is over, say).
int run_retry_all_dead(const Settings& s) {
    auto now = service::resolve_now(s);
    if (!now) return report_error(s, now.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto rows = (*store)->retry_dead_outbox(*now);
    if (!rows) return report_error(s, rows.error());
    if (s.json) {
        Json list = Json::array();
        for (const auto& r : *rows) list.push_back(row_json(r));
        print_json({{"requeued", rows->size()}, {"outbox", list}});
    } else {
        std::cout << "outbox: " << rows->size() << " DEAD row" << (rows->size() == 1 ? "" : "s")
                  << " requeued: PENDING, attempts 0\n";
    }
    return 0;
}

int run_retry(const Settings& s, const std::string& id_text, bool all_dead) {
    if (all_dead != id_text.empty())
        return report_error(s, Error::Usage("outbox retry: give an ID or --all-dead (see shopctl outbox retry --help)"));
    if (all_dead) return run_retry_all_dead(s);
    auto id = parse_int_argument(id_text, "ID", 1, std::numeric_limits<int64_t>::max());
    if (!id) return report_error(s, id.error());
    auto now = service::resolve_now(s);
    if (!now) return report_error(s, now.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto row = (*store)->retry_outbox(*id, *now);
    if (!row) return report_error(s, row.error());
    if (s.json) print_json(row_json(*row));
    else std::cout << "outbox row " << row->id << " (order " << row->order_id << ", " << row->event
                   << ") requeued: PENDING, attempts 0\n";
    return 0;
}

}  // namespace

void add_outbox_command(CommandSetup setup) {
    auto* outbox = setup.app.add_subcommand("outbox", "The data platform outbox: list, flush, retry");
    outbox->require_subcommand(1);
    outbox->group("Data platform");
    outbox->footer("Example:\n  SHOPCTL_PLATFORM_URL=http://127.0.0.1:8080/orders shopctl outbox flush");
    RunFunction& selected = setup.selected;

    auto* list = outbox->add_subcommand("list", "List outbox rows, oldest first");
    auto lo = std::make_shared<ListOptions>();
    list->add_option("--status", lo->status, "PENDING, SENT or DEAD (any case)")->type_name("STATUS");
    list->add_option("--after", lo->after, "only rows with a larger id: the next page")->type_name("INT");
    list->add_option("--limit", lo->limit, "at most this many (default 100); a longer list says how to go on")->type_name("INT");
    list->add_option("--format", lo->format, "table (default), csv or tsv: a header row of the JSON keys, then the rows")->type_name("FORMAT");
    list->footer("Example:\n  shopctl outbox list --status pending --json\n  shopctl outbox list --status dead --format csv > dead.csv\n"
                 "  shopctl outbox list --json | jq .next_after   # then: --after N");
    list->callback([lo, &selected] { selected = [lo](const Settings& s) { return run_list(s, *lo); }; });

    auto* flush = outbox->add_subcommand("flush", "Send every due PENDING row, oldest first; exit 69 if any failed");
    auto all = std::make_shared<bool>(false);
    flush->add_flag("--all", *all, "ignore next_attempt_at: send every PENDING row now");
    flush->footer("Example:\n  shopctl outbox flush --all --platform-url http://127.0.0.1:8080/orders");
    flush->callback([all, &selected] { selected = [all](const Settings& s) { return run_flush(s, *all); }; });

    auto* retry = outbox->add_subcommand("retry", "Requeue a DEAD row (by outbox id), or all of them, with attempts 0");
    auto id = std::make_shared<std::string>();
    auto all_dead = std::make_shared<bool>(false);
    retry->add_option("ID", *id, "the outbox row's id (its \"id\" in outbox list)")->type_name("INT");
    retry->add_flag("--all-dead", *all_dead, "every DEAD row, in one transaction");
    retry->footer("Example:\n  shopctl outbox retry 12\n  shopctl outbox retry --all-dead && shopctl outbox flush");
    retry->callback([id, all_dead, &selected] {
        selected = [id, all_dead](const Settings& s) { return run_retry(s, *id, *all_dead); };
    });
}

}  // namespace shopctl::cli
