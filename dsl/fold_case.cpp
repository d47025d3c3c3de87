#include "dsl/fold_case.h"

#include <algorithm>

namespace fmn::dsl {

std::string fold_case(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold_ascii(c);
  return out;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return fold_ascii(x) == fold_ascii(y);
         });
}

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equal_ignoring_case(s.substr(0, prefix.size()), prefix);
}

bool ends_with_ignoring_case(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         equal_ignoring_case(s.substr(s.size() - suffix.size()), suffix);
}

bool contains_ignoring_case(std::string_view s, std::string_view part) {
  auto same = [](char x, char y) { return fold_ascii(x) == fold_ascii(y); };
  return part.empty() || std::search(s.begin(), s.end(), part.begin(), part.end(), same) != s.end();
}

}  // namespace fmn::dsl
