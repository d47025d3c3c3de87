#include "pipeline/live_preferences.h"

#include <algorithm>

#include "core/log.h"

namespace fmn::pipeline {
namespace {

// Kind names have no ':', so "<kind>:<address>" names one destination.
std::string secret_key(DestinationKind kind, std::string_view address) {
  std::string key(destination_kind_name(kind));
  key += ':';
  key += address;
  return key;
}

}  // namespace

LivePreferences::LivePreferences(engine::RuleEngine& engine, Shard shard, std::string source,
                                 std::shared_ptr<dsl::RuleCompiler> compiler)
    : engine_(engine),
      source_(std::move(source)),
      population_(shard, std::move(compiler)),
      secrets_(std::make_shared<const Secrets>()) {}

void LivePreferences::replace(const std::vector<prefs::User>& users) {
  std::lock_guard writer(writer_mu_);
  BuildReport report;
  std::vector<engine::UserRules> built = population_.build(users, report);
  std::vector<const prefs::User*> all;
  for (const prefs::User& u : users) all.push_back(&u);
  auto secrets = secrets_of(Secrets{}, all, {});
  // Matching goes on with the previous rules until this publishes the new ones.
  engine_.replace_all(std::move(built));
  secrets_.store(std::move(secrets));
  publish_totals();
  loads_.fetch_add(1);
  log_rejections(report);
  const Shard& shard = population_.shard();
  log::info("preferences_loaded",
            {{"source", source_},
             {"users", report.users},
             {"rules", report.rules},
             {"rejected", report.rules_rejected},
             {"shard", std::to_string(shard.index) + "/" + std::to_string(shard.count)}});
}

void LivePreferences::users_changed(std::vector<prefs::UserChange> changes) {
  std::lock_guard writer(writer_mu_);
  BuildReport report;
  PopulationUpdate update = population_.update(changes, report);
  std::vector<const prefs::User*> changed;
  std::vector<std::string> names;
  for (const prefs::UserChange& c : changes) {
    names.push_back(c.name);
    if (c.user) changed.push_back(&*c.user);
  }
  auto secrets = secrets_of(*secrets_.load(), changed, names);
  engine_.update(std::move(update.upserts), update.removals);
  secrets_.store(std::move(secrets));
  publish_totals();
  user_updates_.fetch_add(changes.size());
  log_rejections(report);
  log::info("preferences_changed", {{"source", source_},
                                    {"users", changes.size()},
                                    {"loaded", report.users},
                                    {"removed", update.removals.size()}});
}

void LivePreferences::population_replaced(prefs::Population population) {
  replace(population.users);
}

void LivePreferences::store_status(bool healthy, const std::string& message) {
  store_healthy_.store(healthy);
  if (healthy) {
    log::info("preferences_store", {{"source", source_}, {"status", "ok"}, {"detail", message}});
    return;
  }
  store_failures_.fetch_add(1);
  log::warn("preferences_store", {{"source", source_},
                                  {"status", "unavailable"},
                                  {"detail", message},
                                  {"matching", "goes on with the rules loaded last"}});
}

std::string LivePreferences::destination_secret(DestinationKind kind,
                                                std::string_view address) const {
  std::shared_ptr<const Secrets> secrets = secrets_.load();
  const Secret* secret = find_secret(*secrets, kind, address);
  return secret != nullptr ? secret->token : std::string();
}

const LivePreferences::Secret* LivePreferences::find_secret(const Secrets& secrets,
                                                            DestinationKind kind,
                                                            std::string_view address) const {
  auto it = secrets.find(secret_key(kind, address));
  return it != secrets.end() ? &it->second : nullptr;
}

PopulationTotals LivePreferences::totals() const {
  std::lock_guard lock(totals_mu_);
  return totals_;
}

void LivePreferences::publish_totals() {
  PopulationTotals totals = population_.totals();
  std::lock_guard lock(totals_mu_);
  totals_ = totals;
}

std::shared_ptr<const LivePreferences::Secrets> LivePreferences::secrets_of(
    const Secrets& base, const std::vector<const prefs::User*>& users,
    const std::vector<std::string>& replaced) const {
  auto secrets = std::make_shared<Secrets>();
  for (const auto& [key, secret] : base) {
    if (std::find(replaced.begin(), replaced.end(), secret.user) == replaced.end()) {
      secrets->emplace(key, secret);
    }
  }
  for (const prefs::User* u : users) {
    if (!population_.shard().owns(u->name)) continue;
    for (const prefs::Destination& d : u->destinations) {
      if (prefs::has_secret(d.kind) && !d.token.empty()) {
        (*secrets)[secret_key(d.kind, d.address)] = Secret{u->name, d.token};
      }
    }
  }
  return secrets;
}

void LivePreferences::log_rejections(const BuildReport& report) const {
  for (const std::string& e : report.errors) log::warn("rule_rejected", {{"detail", e}});
}

}  // namespace fmn::pipeline
