// Suggest: the nearest of a set of known words to a mistyped one ("chekout" ->
// "checkout"), for messages that say "did you mean ...?". Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shopctl {

// Levenshtein distance.
size_t edit_distance(std::string_view a, std::string_view b);

// The known word nearest to `word` within `max_distance` edits, or "" when none is.
std::string closest_word(std::string_view word, const std::vector<std::string_view>& known, size_t max_distance = 2);

}  // namespace shopctl
