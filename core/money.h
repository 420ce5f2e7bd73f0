// Won: money as an integer number of won (KRW has no minor unit). Every sum and
// product is checked; an overflow is reported, never wrapped. Percent discounts
// round down (floor), in integer arithmetic, as SPEC.md section 1 says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace shopctl {

using Won = int64_t;

// The largest amount, balance or quantity the store keeps (SPEC.md section 11): far
// enough below int64 that no sum of two stored values can overflow, in C++ or in SQL.
inline constexpr Won kMaxStoredAmount = 1'000'000'000'000'000;

// a + b, or nullopt on overflow.
inline std::optional<Won> checked_add(Won a, Won b) {
    Won r;
    if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
    return r;
}

// a - b, or nullopt on overflow.
inline std::optional<Won> checked_sub(Won a, Won b) {
    Won r;
    if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
    return r;
}

// a * b, or nullopt on overflow.
inline std::optional<Won> checked_mul(Won a, Won b) {
    Won r;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
}

// floor(base * percent / 100) for base >= 0 and 0 <= percent <= 100, without ever
// forming base * percent: with base = 100q + r it is q*percent + floor(r*percent/100),
// and q*percent <= base, so nothing can overflow.
inline Won percent_floored(Won base, int64_t percent) {
    const Won q = base / 100, r = base % 100;
    return q * percent + (r * percent) / 100;
}

// 1234567 -> "1,234,567" (for people; JSON carries plain integers).
inline std::string format_won(Won amount) {
    const std::string digits = std::to_string(amount < 0 ? -(amount + 1) + 1ULL : static_cast<unsigned long long>(amount));
    std::string out = amount < 0 ? "-" : "";
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace shopctl
