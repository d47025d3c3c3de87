#include "pipeline/rule_population.h"

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

std::vector<engine::UserRules> RulePopulation::build(const std::vector<prefs::User>& users,
                                                     BuildReport& report) {
  totals_ = {};
  loaded_.clear();
  std::vector<engine::UserRules> out;
  for (const prefs::User& user : users) {
    if (auto u = build_user(user, report)) out.push_back(std::move(*u));
  }
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
  // One window per destination that has quiet hours, a snooze or a mute (or the user has), or a
  // daily digest time to resolve in the user's zone; shared by the notifications that go there.
  std::vector<std::shared_ptr<const DeliveryWindow>> windows(user.destinations.size());
  auto window_of = [&](size_t d, const prefs::DigestPolicy& digest) {
    const prefs::Destination& dest = user.destinations[d];
    if (digest.at < 0 && !dest.quiet.set() && dest.snoozed_until == 0 && user.snoozed_until == 0 &&
        dest.muted_until == 0 && user.muted_until == 0) {
      return std::shared_ptr<const DeliveryWindow>();
    }
    if (!windows[d]) {
      windows[d] = std::make_shared<const DeliveryWindow>(user.window_of(dest));
    }
    return windows[d];
  };
  Tally tally;
  for (uint32_t r = 0; r < user.rules.size(); ++r) {
    const prefs::Rule& rule = user.rules[r];
    if (!rule.enabled) continue;
    std::shared_ptr<const dsl::StoredRuleResult> compiled = compiler_->compile(rule.source.view());
    if (!compiled->rule) {
      ++tally.rejected;
      report.errors.push_back("user " + user.name + ", rule '" + rule.name +
                              "': " + compiled->errors);
      continue;
    }
    engine::RuleSpec spec{compiled->rule, r, 0, rule.name};
    for (const prefs::Delivery& delivery : rule.deliveries) {
      for (size_t d = 0; d < user.destinations.size(); ++d) {
        if (user.destinations[d].name != delivery.destination || slot[d] < 0) continue;
        spec.destinations |= 1u << slot[d];
        DigestPolicy policy{std::chrono::seconds(delivery.digest.every_seconds),
                            delivery.digest.count, delivery.digest.at,
                            window_of(d, delivery.digest)};
        if (!policy.plain()) spec.digests.push_back({static_cast<uint32_t>(slot[d]), policy});
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

}  // namespace fmn::pipeline
