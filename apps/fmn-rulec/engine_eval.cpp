#include "apps/fmn-rulec/engine_eval.h"

#include <algorithm>

#include "engine/rule_engine.h"

namespace fmn::rulec {

Result<RuleMatcher> engine_matcher(const dsl::RuleSet& rules, const dsl::UserParams& params,
                                   std::string_view mode) {
  engine::EngineMode m;
  if (!engine::parse_engine_mode(mode, m)) {
    return Error{ErrorCode::kInvalidConfig, "--engine: expected interp, jit or auto"};
  }
  auto created = engine::RuleEngine::create({m});
  if (!created) return created.error();
  std::shared_ptr<engine::RuleEngine> eng = std::move(created).value();
  engine::UserRules user;
  user.id = 1;
  user.name = params.me;
  user.params = params;
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    // The rule set outlives the engine: share without owning.
    std::shared_ptr<const dsl::CompiledRule> rule(std::shared_ptr<const void>(), &rules.rules[i]);
    user.rules.push_back({std::move(rule), static_cast<uint32_t>(i), 0});
  }
  eng->replace_all({std::move(user)});
  eng->wait_idle();
  auto scratch = std::make_shared<engine::MatchScratch>();
  return RuleMatcher([eng, scratch](const Message& message, std::vector<size_t>& matched) {
    std::vector<engine::Match> matches;
    eng->current()->match(message, *scratch, matches);
    matched.clear();
    for (const engine::Match& x : matches) matched.push_back(x.rule_index);
    std::sort(matched.begin(), matched.end());
  });
}

}  // namespace fmn::rulec
