// A user's named list read as patterns: `topic ~ $lists.watched` (globs, any may match),
// `topic ~* $lists.watched` (the same, ignoring ASCII case) and `msg.comment.text matches
// $lists.mentions` (RE2 regular expressions, any may match).
//
// Only `$lists.NAME` may hold patterns: every change to a user's named list passes the
// preferences' validation, which checks each entry with pattern_problem() against the rules
// that read it as patterns, so a pattern is still refused when saved, never met broken at match
// time. The fixed parameters ($my_packages...) come from account data that changes without a
// save to refuse.
//
// ListPatterns compiles one list's entries once per kind, on first use, for the interpreter,
// native code and the index alike (never per message). Entries that are not valid patterns (a
// store written around the validation may hold some) match nothing, and at most
// kMaxListPatterns entries (the first, in sorted order) are compiled. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.h"
#include "dsl/glob.h"

namespace re2 {
class RE2;
}

namespace fmn::dsl {

enum class PatternKind : uint8_t { kGlob, kGlobFolded, kRegex };

// The kind of pattern `op`'s right side is (`~`, `~*`, `matches`); nullopt for other operators.
std::optional<PatternKind> pattern_kind(Op op);

// A regular expression compiled as the language compiles every regex (RE2, kMaxRegexMemory,
// errors not logged). Never null; check ok().
std::shared_ptr<const re2::RE2> compile_regex(std::string_view pattern);

// Why `entry` cannot be a pattern of `kind` ("glob pattern longer than 256 bytes", "invalid
// regular expression: missing ): a(b"), or "" when it can.
std::string pattern_problem(std::string_view entry, PatternKind kind);

class ListPatterns {
 public:
  using Regexes = std::vector<std::shared_ptr<const re2::RE2>>;

  // `items` must be the list's entries, the same at every call.
  const std::vector<Glob>& globs(const std::vector<std::string>& items, bool folded) const;
  const Regexes& regexes(const std::vector<std::string>& items) const;

 private:
  mutable std::once_flag globs_once_, folded_once_, regexes_once_;
  mutable std::vector<Glob> globs_, folded_;
  mutable Regexes regexes_;
};

}  // namespace fmn::dsl
