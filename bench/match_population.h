// The engine's input from a preferences population, for fmn-bench match: what a service does
// after loading its users (one CompiledRule per distinct rule text, shared by every user who
// has that text; parameters from the user's followed packages, users and groups).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/user_rules.h"
#include "prefs/model.h"
#include "prefs/population_generator.h"

namespace fmn::bench {

struct EngineInput {
  std::vector<engine::UserRules> users;
  size_t rules = 0;           // (user, rule) pairs
  size_t distinct_rules = 0;  // distinct rule texts, compiled once each
  size_t postings = 0;        // followed packages, users and groups, and memberships
};

// Disabled users and rules are left out; parameters are bound as the service binds them
// (prefs::rule_params), with $my_group_packages from `group_packages` (group -> packages) for
// the users whose rules read it.
// Fails if a rule text does not compile.
Result<EngineInput> engine_input(
    const prefs::Population& population,
    const std::map<std::string, std::vector<std::string>>& group_packages);

// The corpus' vocabulary (from the .expected.jsonl beside `corpus_file`) with its packages
// padded with synthetic names to `packages` in all: the corpus names only ~100 packages, Fedora
// has ~25,000, and who follows what only looks real against a universe of that size.
Result<prefs::Vocabulary> bench_vocabulary(const std::string& corpus_file, size_t packages);

}  // namespace fmn::bench
