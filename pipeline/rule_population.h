// RulePopulation: turns users' preferences into the rule engine's input — all of them, or the
// few that changed — keeping count of what is loaded.
//
// Per user of this shard that is enabled: parameters bound ($me, $my_packages...), enabled
// rules compiled by the shared dsl::RuleCompiler (each distinct rule text once, and not again
// if validation compiled it already), and only confirmed destinations (a pending address
// receives nothing but its confirmation). Each rule carries the digest policy of each of its
// destinations (engine::RuleSpec::digests), so its notifications take it to the sinks. A rule
// that does not compile is left out and reported; the user's other rules still run. User ids
// are stable across reloads (by account name), so an edit replaces exactly that user's rules.
//
// Not thread-safe: one loader thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dsl/rule_compiler.h"
#include "engine/user_rules.h"
#include "prefs/change_sink.h"
#include "prefs/model.h"

namespace fmn::pipeline {

// This instance's share of users: those whose stable hash of the account name, modulo
// `count`, is `index`. Every instance computes the same hash, so each user has one owner.
struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;
  bool owns(std::string_view user) const;
};

// The FNV-1a 64-bit hash of an account name: stable across runs, hosts and builds.
uint64_t stable_user_hash(std::string_view user);

struct BuildReport {
  size_t users = 0;                 // users of this shard, enabled
  size_t rules = 0;                 // rules handed to the engine
  size_t rules_rejected = 0;        // left out: did not compile
  std::vector<std::string> errors;  // "user ralph, rule 'x': <diagnostic>"
};

// What the engine holds after the builds and updates so far.
struct PopulationTotals {
  size_t users = 0, rules = 0, rules_rejected = 0;
};

// An incremental build's output: the engine's update().
struct PopulationUpdate {
  std::vector<engine::UserRules> upserts;
  std::vector<engine::UserId> removals;
};

class RulePopulation {
 public:
  explicit RulePopulation(Shard shard, std::shared_ptr<dsl::RuleCompiler> compiler =
                                           std::make_shared<dsl::RuleCompiler>())
      : shard_(shard), compiler_(std::move(compiler)) {}

  // The engine's users for `users` (users of other shards are skipped).
  std::vector<engine::UserRules> build(const std::vector<prefs::User>& users, BuildReport& report);
  // For these users' new records (nullopt: removed): upserts for those enabled and of this
  // shard, removals for the others that were loaded. `report` counts the changed users only.
  PopulationUpdate update(const std::vector<prefs::UserChange>& changes, BuildReport& report);
  PopulationTotals totals() const { return totals_; }

  // The id `user` has (or gets) in the engine.
  engine::UserId id_of(const std::string& user);

  const Shard& shard() const { return shard_; }

 private:
  // The user's engine input, counted in `report` and the totals; nullopt when it has none.
  std::optional<engine::UserRules> build_user(const prefs::User& user, BuildReport& report);
  // Takes `id` out of the totals; false when it was not loaded.
  bool uncount(engine::UserId id);

  struct Tally {
    uint32_t rules = 0, rejected = 0;
  };

  Shard shard_;
  std::shared_ptr<dsl::RuleCompiler> compiler_;
  PopulationTotals totals_;
  std::unordered_map<engine::UserId, Tally> loaded_;  // users in the engine, and their rules
  std::unordered_map<std::string, engine::UserId> ids_;
};

}  // namespace fmn::pipeline
