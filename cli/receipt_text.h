// The human-readable receipt: aligned item columns, then the totals and points.
#pragma once

#include <string>
#include <vector>

#include "core/receipt.h"

namespace shopctl::cli {

// `colour`: the status word in colour (only for a terminal, and never with NO_COLOR).
std::string render_receipt(const Receipt& receipt, bool with_explanation, bool colour = false);

// Renders rows as left-aligned first column and right-aligned others, with a header.
std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                         size_t left_aligned_columns = 1);

}  // namespace shopctl::cli
