#include "dsl/glob.h"

namespace fmn::dsl {

Glob::Glob(std::string pattern) : pattern_(std::move(pattern)) {
  std::string_view p = pattern_;
  bool star_first = !p.empty() && p.front() == '*';
  bool star_last = p.size() > 1 && p.back() == '*';
  std::string_view middle = p.substr(star_first, p.size() - star_first - star_last);
  if (middle.find_first_of("*?") != std::string_view::npos) {
    kind_ = Kind::kGeneral;
    stars_only_ = p.find('?') == std::string_view::npos;
    return;
  }
  literal_ = std::string(middle);
  kind_ = star_first ? (star_last ? Kind::kInfix : Kind::kSuffix)
                     : (star_last ? Kind::kPrefix : Kind::kExact);
}

namespace {

size_t code_point_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;  // not UTF-8: one byte
}

// Iterative matching with backtracking to the last `*` only: each `*` resumes at most
// text.size() times, so the work is O(pattern x text) and never exponential.
bool match_general(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0;
  size_t star = std::string_view::npos, resume = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      resume = ti;
    } else if (pi < p.size() && p[pi] == '?') {
      ++pi;
      ti += code_point_length(static_cast<unsigned char>(t[ti]));
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size() && ti == t.size();
}

// Patterns whose wildcards are all `*`: the text starts with the literal before the first star
// and ends with the one after the last, and holds the literals between the stars in order, each
// taken at its leftmost place after the one before (the leftmost place leaves the most text to
// the rest, so it is never wrong to take it). One search a literal instead of backtracking.
bool match_stars(std::string_view p, std::string_view t) {
  const size_t first_star = p.find('*'), last_star = p.rfind('*');
  const std::string_view head = p.substr(0, first_star), tail = p.substr(last_star + 1);
  if (t.size() < head.size() + tail.size() || !t.starts_with(head) || !t.ends_with(tail)) {
    return false;
  }
  const std::string_view middle = t.substr(0, t.size() - tail.size());
  size_t from = head.size();
  for (size_t pi = first_star + 1; pi <= last_star;) {
    const size_t star = p.find('*', pi);
    const std::string_view literal = p.substr(pi, star - pi);
    pi = star + 1;
    if (literal.empty()) continue;
    const size_t at = middle.find(literal, from);
    if (at == std::string_view::npos) return false;
    from = at + literal.size();
  }
  return true;
}

}  // namespace

bool Glob::matches(std::string_view text) const {
  switch (kind_) {
    case Kind::kExact:
      return text == literal_;
    case Kind::kPrefix:
      return text.starts_with(literal_);
    case Kind::kSuffix:
      return text.ends_with(literal_);
    case Kind::kInfix:
      return text.find(literal_) != std::string_view::npos;
    case Kind::kGeneral:
      return stars_only_ ? match_stars(pattern_, text) : match_general(pattern_, text);
  }
  return false;
}

}  // namespace fmn::dsl
