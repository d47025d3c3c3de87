// The language's limits: what keeps a rule's parse, check and evaluation bounded, so no rule
// can hang or exhaust the service. Exceeding one is error E0301 (E0015 for nesting). Listed
// in docs/rules-language.md.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fmn::dsl {

inline constexpr size_t kMaxFileBytes = 1 << 20;
inline constexpr size_t kMaxStatements = 1000;  // rules plus definitions, per file
inline constexpr uint32_t kMaxNesting = 32;     // parentheses and `not`s
inline constexpr size_t kMaxRuleNodes = 1000;   // tests in a rule, definitions expanded
inline constexpr size_t kMaxListItems = 1000;
inline constexpr size_t kMaxListNameBytes = 64;   // NAME in `$lists.NAME`
inline constexpr size_t kMaxListPatterns = 1000;  // entries of a `$lists.NAME` read as patterns
inline constexpr size_t kMaxStringBytes = 4096;
inline constexpr size_t kMaxPatternBytes = 256;      // a `~` glob pattern
inline constexpr size_t kMaxPathSegments = 16;       // msg.a.b.c...
inline constexpr int64_t kMaxRegexMemory = 1 << 20;  // RE2's budget for one compiled regex

}  // namespace fmn::dsl
