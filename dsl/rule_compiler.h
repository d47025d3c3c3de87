// RuleCompiler: a stored rule's text in, its CompiledRule out — the one way preference
// validation (prefs/) and the rule population (pipeline/) turn what users store into what the
// engine runs, so a stored rule is parsed and checked once, not once per layer.
//
// A stored rule is the predicate only (what follows `rule "name" =` in a rule file). It may use
// the definitions of FMN's defaults (data/rules/fmn-defaults.fmn: mutual_noise,
// package_noise...), parsed once per process, and the per-user parameters ($me,
// $my_packages...). Results, rules and rejections alike, are kept per distinct text in one
// LRU cache of `capacity` texts: a million users on the default rules cost a handful of
// compilations, and a text checked when stored is not compiled again when loaded. An evicted
// result stays valid for whoever still holds it.
//
// Thread-safe: compile() may be called from any thread; compilation runs outside the lock.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/diagnostic.h"
#include "dsl/list_uses.h"
#include "dsl/program.h"

namespace fmn::dsl {

struct StoredRuleResult {
  std::shared_ptr<const CompiledRule> rule;  // nullptr when the text has errors
  // About the text only, warnings included; positions are in the stored text.
  std::vector<Diagnostic> diagnostics;
  // Each `$lists.NAME` the text reads, positions in the stored text: user_list_checks.h
  // checks them against a user's lists.
  std::vector<ListUse> lists;
  std::string errors;  // the errors on one line, for logs: "1:5-9: error[E0101]: ...; ..."
};

class RuleCompiler {
 public:
  static constexpr size_t kDefaultCapacity = 4096;

  // REQUIRES: capacity > 0.
  explicit RuleCompiler(size_t capacity = kDefaultCapacity);

  // The result for `source`, compiled now or found in the cache. Never null, never throws.
  std::shared_ptr<const StoredRuleResult> compile(std::string_view source);

  struct Stats {
    uint64_t hits = 0, compilations = 0, evictions = 0;
    size_t cached = 0;
  };
  Stats stats() const;
  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    std::string source;
    std::shared_ptr<const StoredRuleResult> result;
  };

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_source_;  // keys: lru_'s
  Stats stats_;
};

}  // namespace fmn::dsl
