#include "cli/receipt_text.h"

#include <algorithm>
#include <sstream>

#include "cli/output.h"
#include "cli/text_width.h"

namespace shopctl::cli {

namespace {

std::string pad(const std::string& s, size_t width, bool left) {
    const size_t len = display_width(s);
    if (len >= width) return s;
    return left ? s + std::string(width - len, ' ') : std::string(width - len, ' ') + s;
}

std::string coupon_label(const std::optional<int64_t>& id) {
    if (!id) return "-";
    std::string label = "#";
    label += std::to_string(*id);
    return label;
}

}  // namespace

std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                         const std::string& align) {
    std::vector<size_t> width(header.size(), 0);
    for (size_t c = 0; c < header.size(); ++c) width[c] = display_width(header[c]);
    for (const auto& row : rows)
        for (size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
    std::ostringstream out;
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (size_t c = 0; c < cells.size(); ++c) {
            if (c) text += "  ";
            text += pad(cells[c], width[c], c >= align.size() || align[c] == 'l');
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
    };
    line(header);
    for (const auto& row : rows) line(row);
    return out.str();
}

std::string render_receipt(const Receipt& r, bool with_explanation, bool colour) {
    std::ostringstream out;
    const char* tint = r.status == "PAID" ? "\033[1;32m" : r.status == "CANCELLED" ? "\033[1;31m" : "\033[1;33m";
    const std::string status = colour ? tint + r.status + "\033[0m" : r.status;
    out << (r.order_id ? "Order " + std::to_string(*r.order_id) : std::string("Quote")) << "  " << status << "  "
        << r.created_at << "  member " << r.member_id << (r.replayed ? "  (replayed)" : "") << "\n\n";
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < r.items.size(); ++i) {
        const auto& item = r.items[i];
        rows.push_back({item.name, format_won(item.quantity), format_won(item.unit_price),
                        coupon_label(item.coupon_issue_id), format_won(item.discount), format_won(item.amount)});
        if (r.returned) {
            rows.back().push_back(format_won(r.returned->quantity[i]));
            rows.back().push_back(format_won(r.returned->refunded[i]));
        }
    }
    if (r.returned)
        out << render_table({"Item", "Qty", "Unit price", "Coupon", "Discount", "Amount", "Returned", "Refunded"}, rows,
                            "lrrrrrrr")
            << '\n';
    else
        out << render_table({"Item", "Qty", "Unit price", "Coupon", "Discount", "Amount"}, rows, "lrrrrr") << '\n';

    std::vector<std::vector<std::string>> totals = {
        {"Subtotal", format_won(r.subtotal)},
        {"Product discounts", format_won(-r.product_discount)},
        {"Order coupon " + coupon_label(r.order_coupon_issue_id), format_won(-r.order_discount)},
        {"Total", format_won(r.total)},
        {"Points", format_won(r.points_before) + " -> " + format_won(r.points_after)},
    };
    if (r.returned) totals.push_back({"Refunded", format_won(r.returned->total_refunded)});
    if (r.platform) totals.push_back({"Data platform", r.platform->status});
    size_t label = 0, value = 0;
    for (const auto& t : totals) {
        label = std::max(label, display_width(t[0]));
        value = std::max(value, display_width(t[1]));
    }
    for (const auto& t : totals) out << pad(t[0], label, true) << "  " << pad(t[1], value, false) << '\n';
    // A platform error can be long: on its own line, so it never widens the column above.
    if (r.platform && r.platform->error) out << "  last error: " << *r.platform->error << '\n';

    if (with_explanation) {
        out << "\nCoupons:\n";
        if (r.replayed) out << "  (a replayed order: its coupons were chosen when it was placed)\n";
        else if (r.explanation.empty()) out << "  (the member holds no usable coupons)\n";
        for (const auto& e : r.explanation)
            out << "  #" << e.coupon_issue_id << " " << e.name << ": " << (e.used ? "used, " : "not used, ") << e.detail
                << '\n';
    }
    return out.str();
}

}  // namespace shopctl::cli
