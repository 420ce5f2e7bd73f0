#include "core/refund.h"

#include <algorithm>
#include <numeric>

namespace shopctl {

namespace {

__extension__ typedef __int128 Wide;  // 128-bit products: amounts up to 10^15 times up to 10^15

// floor(a * b / c) for a, b, c >= 0 and c > 0: the product is formed in 128 bits
// (amounts up to 10^15 times quantities up to 10^6 pass int64).
int64_t floor_mul_div(int64_t a, int64_t b, int64_t c) {
    return static_cast<int64_t>(static_cast<Wide>(a) * b / c);
}

}  // namespace

std::vector<Won> order_discount_shares(const std::vector<RefundLine>& lines, Won order_discount) {
    std::vector<Won> shares(lines.size(), 0);
    Wide total = 0;
    for (const auto& l : lines) total += l.amount;
    if (order_discount <= 0 || total <= 0) return shares;
    std::vector<int64_t> remainders(lines.size(), 0);
    Won given = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const Wide product = static_cast<Wide>(order_discount) * lines[i].amount;
        shares[i] = static_cast<Won>(product / total);
        remainders[i] = static_cast<int64_t>(product % total);
        given += shares[i];
    }
    // Largest remainder: the won left over go one each to the lines that lost most to the floor.
    std::vector<size_t> order(lines.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
        return lines[a].product_id < lines[b].product_id;
    });
    for (size_t k = 0; given < order_discount && k < order.size(); ++k, ++given) ++shares[order[k]];
    return shares;
}

std::vector<Won> line_nets(const std::vector<RefundLine>& lines, Won order_discount) {
    std::vector<Won> nets = order_discount_shares(lines, order_discount);
    for (size_t i = 0; i < lines.size(); ++i) nets[i] = lines[i].amount - nets[i];
    return nets;
}

Won line_refund(Won net, int64_t ordered, int64_t already_returned, int64_t quantity) {
    if (ordered <= 0) return 0;
    return floor_mul_div(net, already_returned + quantity, ordered) - floor_mul_div(net, already_returned, ordered);
}

}  // namespace shopctl
