// Populations for the engine tests: users with random rules (tests/codegen/test_corpus.h) and
// FMN's default rules, and the match sets the engine and the naive baseline give on the corpus.
#pragma once

#include <set>
#include <tuple>
#include <vector>

#include "engine/generation.h"
#include "engine/user_rules.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::engine {

// (user id, rule index) pairs matched by one message.
using MatchSet = std::set<std::pair<UserId, uint16_t>>;

MatchSet as_set(const std::vector<Match>& matches);

// A population of `users`: about one user in three on the defaults, the rest with 1-4 rules
// drawn from a pool of random rules (several users share each rule, as templates do).
class PopulationMaker {
 public:
  explicit PopulationMaker(uint32_t seed);
  UserRules user(UserId id);
  std::vector<UserRules> users(size_t count);

 private:
  testing_support::RuleSampler sampler_;
  std::vector<std::shared_ptr<const dsl::CompiledRule>> defaults_, pool_;
  std::mt19937 rng_;
};

}  // namespace fmn::engine
