// Timestamp: an instant as whole seconds since the Unix epoch, written as an
// RFC 3339 UTC string ("2026-11-26T03:15:00Z"). Parsing accepts a 'Z' or a numeric
// offset and optional fractional seconds (dropped); formatting always gives 'Z', so
// stored strings sort in time order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shopctl {

using UnixSeconds = int64_t;

std::optional<UnixSeconds> parse_timestamp(std::string_view text);
std::string format_timestamp(UnixSeconds t);

}  // namespace shopctl
