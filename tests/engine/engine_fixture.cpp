#include "tests/engine/engine_fixture.h"

#include "dsl/compile.h"

namespace fmn::engine {

MatchSet as_set(const std::vector<Match>& matches) {
  MatchSet s;
  for (const Match& m : matches) s.emplace(m.user_id(), m.rule_index);
  return s;
}

PopulationMaker::PopulationMaker(uint32_t seed) : sampler_(seed), rng_(seed) {
  dsl::Diagnostics diags;
  auto defaults = dsl::compile(dsl::default_rules_source(), diags);
  for (auto& r : defaults->rules) {
    defaults_.push_back(std::make_shared<const dsl::CompiledRule>(std::move(r)));
  }
  pool_ = sampler_.rules(300);
}

UserRules PopulationMaker::user(UserId id) {
  UserRules u;
  u.id = id;
  u.name = "user" + std::to_string(id);
  u.params = sampler_.params();
  u.destinations = {{DestinationKind::kEmail, u.name + "@example.org"},
                    {DestinationKind::kIrc, u.name}};
  if (rng_() % 3 == 0) {
    for (const auto& r : defaults_)
      u.rules.push_back(RuleSpec{r, id * 16 + uint32_t(u.rules.size()), 1});
  }
  int n = 1 + static_cast<int>(rng_() % 4);
  for (int i = 0; i < n; ++i) {
    u.rules.push_back(RuleSpec{pool_[rng_() % pool_.size()], id * 16 + uint32_t(u.rules.size()),
                               static_cast<uint32_t>(1 + rng_() % 3)});
  }
  return u;
}

std::vector<UserRules> PopulationMaker::users(size_t count) {
  std::vector<UserRules> out;
  for (size_t i = 0; i < count; ++i) out.push_back(user(static_cast<UserId>(i + 1)));
  return out;
}

}  // namespace fmn::engine
