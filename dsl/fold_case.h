// What "ignoring case" means for the `*` operators (`==*`, `in*`, `~*`, `startswith*`...):
// the ASCII letters A-Z equal a-z, and every other byte equals only itself. So "Ralph" ==*
// "RALPH", but "É" and "é" differ, as do "ß" and "SS": Fedora's account, package and topic
// names are ASCII, and a byte-for-byte rule keeps every test linear, allocation-free on equal
// lengths and blind to locales. (`matches "(?i)..."` folds Unicode case, RE2's way.)
//
// Folding never changes a string's length nor touches a byte >= 0x80, so valid UTF-8 stays
// valid and prefixes, suffixes and substrings keep their byte offsets. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace fmn::dsl {

constexpr char fold_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// `s` with A-Z lowered.
std::string fold_case(std::string_view s);

bool equal_ignoring_case(std::string_view a, std::string_view b);
bool starts_with_ignoring_case(std::string_view s, std::string_view prefix);
bool ends_with_ignoring_case(std::string_view s, std::string_view suffix);
bool contains_ignoring_case(std::string_view s, std::string_view part);

}  // namespace fmn::dsl
