#include "pipeline/rule_population.h"

#include "dsl/compile.h"
#include "prefs/dsl_rule_validator.h"

namespace fmn::pipeline {

uint64_t stable_user_hash(std::string_view user) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : user) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

bool Shard::owns(std::string_view user) const {
  return count <= 1 || stable_user_hash(user) % count == index;
}

engine::UserId RulePopulation::id_of(const std::string& user) {
  auto [it, inserted] = ids_.try_emplace(user, static_cast<engine::UserId>(ids_.size() + 1));
  return it->second;
}

std::shared_ptr<const dsl::CompiledRule> RulePopulation::compile(const std::string& source,
                                                                 std::string& error) {
  if (auto it = compiled_.find(source); it != compiled_.end()) return it->second;
  if (auto it = compile_errors_.find(source); it != compile_errors_.end()) {
    error = it->second;
    return nullptr;
  }
  std::optional<dsl::CompiledRule> compiled = prefs::compile_stored_rule(source, error);
  if (!compiled) {
    compile_errors_.emplace(source, error);
    return nullptr;
  }
  auto rule = std::make_shared<const dsl::CompiledRule>(std::move(*compiled));
  compiled_.emplace(source, rule);
  return rule;
}

std::vector<engine::UserRules> RulePopulation::build(const std::vector<prefs::User>& users,
                                                     BuildReport& report) {
  totals_ = {};
  loaded_.clear();
  std::vector<engine::UserRules> out;
  for (const prefs::User& user : users) {
    if (auto u = build_user(user, report)) out.push_back(std::move(*u));
  }
  report.distinct_sources = compiled_.size();
  return out;
}

PopulationUpdate RulePopulation::update(const std::vector<prefs::UserChange>& changes,
                                        BuildReport& report) {
  PopulationUpdate out;
  for (const prefs::UserChange& change : changes) {
    auto known = ids_.find(change.name);
    const engine::UserId id = known != ids_.end() ? known->second : 0;
    const bool was_loaded = id != 0 && uncount(id);
    std::optional<engine::UserRules> u;
    if (change.user) u = build_user(*change.user, report);
    if (u) {
      out.upserts.push_back(std::move(*u));
    } else if (was_loaded) {
      out.removals.push_back(id);
    }
  }
  report.distinct_sources = compiled_.size();
  return out;
}

bool RulePopulation::uncount(engine::UserId id) {
  auto it = loaded_.find(id);
  if (it == loaded_.end()) return false;
  --totals_.users;
  totals_.rules -= it->second.rules;
  totals_.rules_rejected -= it->second.rejected;
  loaded_.erase(it);
  return true;
}

std::optional<engine::UserRules> RulePopulation::build_user(const prefs::User& user,
                                                            BuildReport& report) {
  if (!user.enabled || !shard_.owns(user.name)) return std::nullopt;
  engine::UserRules u;
  u.id = id_of(user.name);
  u.name = user.name;
  u.params = prefs::rule_params(user);

  std::vector<int> slot(user.destinations.size(), -1);  // user's destination -> engine's
  for (size_t d = 0; d < user.destinations.size() && u.destinations.size() < 32; ++d) {
    const prefs::Destination& dest = user.destinations[d];
    if (dest.confirmation.state != prefs::ConfirmationState::kConfirmed) continue;
    slot[d] = static_cast<int>(u.destinations.size());
    u.destinations.push_back({dest.kind, dest.address});
  }
  Tally tally;
  for (uint32_t r = 0; r < user.rules.size(); ++r) {
    const prefs::Rule& rule = user.rules[r];
    if (!rule.enabled) continue;
    std::string error;
    auto compiled = compile(rule.source.str(), error);
    if (!compiled) {
      ++tally.rejected;
      report.errors.push_back("user " + user.name + ", rule '" + rule.name + "': " + error);
      continue;
    }
    engine::RuleSpec spec{compiled, r, 0, rule.name};
    auto& policies = policies_[(uint64_t{u.id} << 32) | r];
    policies.clear();
    for (const prefs::Delivery& delivery : rule.deliveries) {
      for (size_t d = 0; d < user.destinations.size(); ++d) {
        if (user.destinations[d].name != delivery.destination || slot[d] < 0) continue;
        spec.destinations |= 1u << slot[d];
        sinks::DigestPolicy policy;
        policy.every = std::chrono::seconds(delivery.digest.every_seconds);
        policy.count = delivery.digest.count;
        policies.emplace_back(user.destinations[d].address, policy);
      }
    }
    u.rules.push_back(std::move(spec));
    ++tally.rules;
  }
  ++report.users;
  report.rules += tally.rules;
  report.rules_rejected += tally.rejected;
  ++totals_.users;
  totals_.rules += tally.rules;
  totals_.rules_rejected += tally.rejected;
  loaded_[u.id] = tally;
  return u;
}

sinks::DigestPolicy RulePopulation::policy(const Notification& n) const {
  auto it = policies_.find((uint64_t{n.user_id} << 32) | n.rule_id);
  if (it == policies_.end()) return {};
  for (const auto& [address, policy] : it->second) {
    if (address == n.address) return policy;
  }
  return {};
}

}  // namespace fmn::pipeline
