// "Did you mean": the candidate closest to a misspelt name, by edit distance (insertions,
// deletions, substitutions and swaps of neighbours), or nothing if none is close enough
// (distance at most 1 for short names, a third of the length for longer ones).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fmn::dsl {

std::optional<std::string> closest_name(std::string_view wrong,
                                        std::span<const std::string_view> candidates);

}  // namespace fmn::dsl
