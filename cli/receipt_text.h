// The human-readable receipt: aligned item columns, then the totals and points.
#pragma once

#include <string>
#include <vector>

#include "core/receipt.h"

namespace shopctl::cli {

std::string render_receipt(const Receipt& receipt, bool with_explanation);

// Renders rows as left-aligned first column and right-aligned others, with a header.
std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                         size_t left_aligned_columns = 1);

}  // namespace shopctl::cli
