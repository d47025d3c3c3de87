#include "dsl/list_patterns.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "dsl/fold_case.h"
#include "dsl/limits.h"

namespace fmn::dsl {
namespace {

// The first kMaxListPatterns entries, each through `make`, which returns null for an entry
// that is not a valid pattern.
template <typename T, typename Make>
void compile_entries(const std::vector<std::string>& items, std::vector<T>& out, Make make) {
  const size_t n = std::min(items.size(), kMaxListPatterns);
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (auto p = make(items[i])) out.push_back(std::move(*p));
  }
}

std::optional<Glob> make_glob(std::string_view entry, bool folded) {
  if (entry.size() > kMaxPatternBytes) return std::nullopt;
  return Glob(folded ? fold_case(entry) : std::string(entry));
}

}  // namespace

std::optional<PatternKind> pattern_kind(Op op) {
  switch (op) {
    case Op::kGlob:
      return PatternKind::kGlob;
    case Op::kGlobFold:
      return PatternKind::kGlobFolded;
    case Op::kMatches:
      return PatternKind::kRegex;
    default:
      return std::nullopt;
  }
}

std::shared_ptr<const RE2> compile_regex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxRegexMemory);
  return std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
}

std::string pattern_problem(std::string_view entry, PatternKind kind) {
  if (kind != PatternKind::kRegex) {
    if (make_glob(entry, false)) return {};
    return fmt::format("glob pattern longer than {} bytes", kMaxPatternBytes);
  }
  std::shared_ptr<const RE2> regex = compile_regex(entry);
  return regex->ok() ? std::string() : "invalid regular expression: " + regex->error();
}

const std::vector<Glob>& ListPatterns::globs(const std::vector<std::string>& items,
                                             bool folded) const {
  if (folded) {
    std::call_once(folded_once_, [&] {
      compile_entries(items, folded_, [](const std::string& s) { return make_glob(s, true); });
    });
    return folded_;
  }
  std::call_once(globs_once_, [&] {
    compile_entries(items, globs_, [](const std::string& s) { return make_glob(s, false); });
  });
  return globs_;
}

const ListPatterns::Regexes& ListPatterns::regexes(const std::vector<std::string>& items) const {
  std::call_once(regexes_once_, [&] {
    compile_entries(items, regexes_, [](const std::string& s) {
      std::shared_ptr<const RE2> regex = compile_regex(s);
      return regex->ok() ? std::optional(std::move(regex)) : std::nullopt;
    });
  });
  return regexes_;
}

}  // namespace fmn::dsl
