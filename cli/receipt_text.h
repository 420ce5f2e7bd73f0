// The human-readable receipt: aligned item columns, then the totals and points.
#pragma once

#include <string>
#include <vector>

#include "core/receipt.h"

namespace shopctl::cli {

// `colour`: the status word in colour (only for a terminal, and never with NO_COLOR).
std::string render_receipt(const Receipt& receipt, bool with_explanation, bool colour = false);

// Renders rows under a header in aligned columns; `align` has one letter per column,
// 'l' (text) or 'r' (numbers).
std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                         const std::string& align);

}  // namespace shopctl::cli
