// `coupons issue MEMBER COUPON` and `coupons list --member ID`.
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

int run_issue(const Settings& s, const std::string& member_text, const std::string& coupon_text) {
    auto member = parse_int_argument(member_text, "MEMBER", 1, kMax);
    if (!member) return report_error(s, member.error());
    auto coupon = parse_int_argument(coupon_text, "COUPON", 1, kMax);
    if (!coupon) return report_error(s, coupon.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto id = (*store)->issue_coupon(*member, *coupon);
    if (!id) return report_error(s, id.error());
    if (s.json)
        print_json(service::coupon_issue_json(*id, *coupon, *member));
    else
        std::cout << *id << '\n';
    return 0;
}

// `coupons issue --from FILE`: every line's issue in one transaction, or none.
int run_issue_many(const Settings& s, const std::string& path) {
    auto lines = read_pair_lines(path, "MEMBER", kMax, "COUPON", kMax);
    if (!lines) return report_error(s, lines.error());
    std::vector<db::CouponGrant> grants;
    for (const PairLine& l : *lines) grants.push_back({l.line, l.first, l.second});
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto ids = (*store)->issue_coupons_many(grants);
    if (!ids) return report_error(s, ids.error());
    if (s.json) {
        Json list = Json::array();
        for (size_t i = 0; i < ids->size(); ++i)
            list.push_back(service::coupon_issue_json((*ids)[i], grants[i].coupon_id, grants[i].member_id));
        print_json({{"issued", list}});
    } else {
        for (int64_t id : *ids) std::cout << id << '\n';  // one id a line, as a single issue prints it
    }
    return 0;
}

Json member_coupon_json(const db::MemberCoupon& mc, const std::optional<UnixSeconds>& now) {
    auto opt_time = [](const std::optional<UnixSeconds>& t) { return t ? Json(format_timestamp(*t)) : Json(nullptr); };
    const Coupon& c = mc.issue.coupon;
    return {{"coupon_issue_id", mc.issue.issue_id},
            {"coupon_id", c.id},
            {"name", c.name},
            {"scope", scope_name(c.scope)},
            {"product_id", c.product_id ? Json(*c.product_id) : Json(nullptr)},
            {"discount_type", discount_type_name(c.discount_type)},
            {"discount_value", c.discount_value},
            {"max_discount", c.max_discount ? Json(*c.max_discount) : Json(nullptr)},
            {"min_order_amount", c.min_order_amount},
            {"valid_from", opt_time(c.valid_from)},
            {"valid_until", opt_time(c.valid_until)},
            {"status", mc.issue.used ? "USED" : "ISSUED"},
            {"usable", now && usability(mc.issue, *now) == Usability::Usable},
            {"used_order_id", mc.used_order_id ? Json(*mc.used_order_id) : Json(nullptr)}};
}

struct ListOptions {
    std::string member, after, limit = "100", format = "table";
};

int run_list(const Settings& s, const ListOptions& o, const std::optional<UnixSeconds>& now) {
    auto member = parse_int_argument(o.member, "--member", 1, kMax);
    if (!member) return report_error(s, member.error());
    auto format = parse_list_format_option(s, o.format);
    if (!format) return report_error(s, format.error());
    auto page = parse_page(o.after, "--after", o.limit);
    if (!page) return report_error(s, page.error());
    auto store = service::open_store(s);
    if (!store) return report_error(s, store.error());
    auto coupons = (*store)->member_coupons(*member, db::CouponPage{page->from_id.value_or(0), page->limit + 1});
    if (!coupons) return report_error(s, coupons.error());
    const auto next_after = trim_to_page(*coupons, page->limit, [](const db::MemberCoupon& mc) { return mc.issue.issue_id; });
    if (s.json || *format != ListFormat::Table) {
        Json list = Json::array();
        for (const auto& mc : *coupons) list.push_back(member_coupon_json(mc, now));
        if (s.json)
            print_json({{"member_id", *member}, {"coupons", list}, {"next_after", next_after ? Json(*next_after) : Json(nullptr)}});
        else
            print_delimited_page(*format, columns_of(member_coupon_json({}, now)), list, page->limit, "--after", next_after);
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& mc : *coupons) {
        const Coupon& c = mc.issue.coupon;
        const std::string value = c.discount_type == DiscountType::Fixed ? format_won(c.discount_value) + " won"
                                                                         : std::to_string(c.discount_value) + "%";
        std::string state = mc.issue.used ? "USED" : "ISSUED";
        if (now && !mc.issue.used) state = usability_reason(usability(mc.issue, *now));
        rows.push_back({std::to_string(mc.issue.issue_id), c.name,
                        c.scope == CouponScope::Product ? "product " + std::to_string(c.product_id.value_or(0)) : "order",
                        value, format_won(c.min_order_amount), c.valid_until ? format_timestamp(*c.valid_until) : "-",
                        state});
    }
    std::cout << render_table({"Issue", "Coupon", "Applies to", "Discount", "Minimum", "Valid until", "State"}, rows, "rllrrll");
    print_next_page_note(page->limit, "--after", next_after);
    return 0;
}

}  // namespace

void add_coupons_command(CommandSetup setup) {
    auto* coupons = setup.app.add_subcommand("coupons", "Issue and list members' coupons");
    coupons->require_subcommand(1);
    coupons->group("Members");
    coupons->footer("Example:\n  shopctl coupons issue 1 4\n  shopctl coupons list 1");
    RunFunction& selected = setup.selected;

    auto* issue = coupons->add_subcommand("issue", "Issue a coupon to a member; prints the coupon_issue id");
    auto member = std::make_shared<std::string>();
    auto coupon = std::make_shared<std::string>();
    auto from = std::make_shared<std::string>();
    issue->add_option("MEMBER", *member, "member id")->type_name("INT");
    issue->add_option("COUPON", *coupon, "coupon id")->type_name("INT");
    issue->add_option("--from", *from,
                      "a file (or - for stdin) of 'MEMBER COUPON' lines (spaces, tab or comma): all in one transaction")->type_name("FILE");
    issue->footer("Example:\n  id=$(shopctl coupons issue 1 4)\n  shopctl coupons issue --from vip-coupons.csv --json");
    issue->callback([member, coupon, from, &selected] {
        selected = [member, coupon, from](const Settings& s) {
            if (from->empty() == (member->empty() || coupon->empty()) || (!from->empty() && !member->empty()))
                return report_error(s, Error::Usage("coupons issue: give MEMBER COUPON, or --from FILE (see shopctl coupons issue --help)"));
            return from->empty() ? run_issue(s, *member, *coupon) : run_issue_many(s, *from);
        };
    });

    auto* list = coupons->add_subcommand("list", "List a member's coupon issues and whether each is usable now");
    auto lo = std::make_shared<ListOptions>();
    // The member as a word (as `points show MEMBER`) or as --member, the older spelling.
    list->add_option("MEMBER,--member", lo->member, "member id")->type_name("INT")->required();
    list->add_option("--after", lo->after, "only issues with a larger id: the next page")->type_name("INT");
    list->add_option("--limit", lo->limit, "at most this many (default 100); a longer list says how to go on")->type_name("INT");
    list->add_option("--format", lo->format, "table (default), csv or tsv: a header row of the JSON keys, then the rows")
        ->type_name("FORMAT");
    list->footer("Example:\n  shopctl coupons list 1 --json\n"
                 "  shopctl coupons list 1 --json | jq .next_after   # then: --after N");
    list->callback([lo, &selected] {
        selected = [lo](const Settings& s) {
            auto now = service::resolve_now(s);
            if (!now) return report_error(s, now.error());
            return run_list(s, *lo, *now);
        };
    });
}

}  // namespace shopctl::cli
