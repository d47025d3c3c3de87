// Glob patterns for `~`: `*` matches any run of characters, dots included (so
// "*.bodhi.update.comment" matches "org.fedoraproject.prod.bodhi.update.comment"), `?`
// matches one character (code point); every other character matches itself.
//
// Compiled once when a rule is checked. Patterns whose only wildcards are a leading and/or
// trailing `*` (nearly all topic patterns) match by one comparison; other patterns without `?`
// by one search a literal between stars; the rest by a backtracking scan that is
// O(pattern x text) in the worst case, bounded by kMaxPatternBytes. Immutable after
// construction; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fmn::dsl {

class Glob {
 public:
  explicit Glob(std::string pattern);

  bool matches(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

  enum class Kind : uint8_t { kExact, kPrefix, kSuffix, kInfix, kGeneral };
  Kind kind() const { return kind_; }
  // For every kind but kGeneral, the literal part ("bodhi.update" for "*bodhi.update").
  const std::string& literal() const { return literal_; }

 private:
  std::string pattern_;
  std::string literal_;
  Kind kind_;
  bool stars_only_ = false;  // kGeneral without `?`: matched by match_stars
};

}  // namespace fmn::dsl
