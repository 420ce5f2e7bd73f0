// How many terminal columns a UTF-8 string takes: Hangul, CJK and other wide
// characters take two, combining marks none, the rest one. Tables pad by this, so
// Korean product names (머그컵, 드립 커피 세트) line up with the rest.
#pragma once

#include <string_view>

namespace shopctl::cli {

size_t display_width(std::string_view text);

}  // namespace shopctl::cli
