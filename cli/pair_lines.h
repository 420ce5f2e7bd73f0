// The input of the bulk commands (`points charge --from`, `coupons issue --from`,
// `orders cancel --from`): integers a line, "MEMBER AMOUNT", "MEMBER COUPON" or one
// ORDER_ID, separated by spaces, a tab or a comma (a spreadsheet's CSV). Blank lines
// and lines starting with # are skipped. Any other line is an error naming its
// number: nothing is half-read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace shopctl::cli {

struct PairLine {
    int64_t line = 0;
    int64_t first = 0;
    int64_t second = 0;
};

struct IdLine {
    int64_t line = 0;
    int64_t id = 0;
};

// Reads `path` ("-": stdin). `first_name`/`second_name` name the fields in errors;
// each must be an integer in [1, first_max] / [1, second_max].
Result<std::vector<PairLine>> read_pair_lines(const std::string& path, const std::string& first_name, int64_t first_max,
                                              const std::string& second_name, int64_t second_max);

// One id a line, each in [1, max], none twice (a repeat names both lines).
Result<std::vector<IdLine>> read_id_lines(const std::string& path, const std::string& name, int64_t max);

}  // namespace shopctl::cli
