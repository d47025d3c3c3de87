// LivePreferences: the service's view of its users' preferences, kept live. A whole population
// (start-up, SIGHUP, a store's resynchronisation) or the new records of a few users (a store's
// change feed) go through RulePopulation into the rule engine, which publishes them atomically:
// matching never waits. Delivery asks it nothing per notification (each carries its digest
// policy); the SSE server asks for feed tokens and the sinks of kinds with a secret (webhooks)
// for their destinations' secrets, both read from an atomically swapped map. A load,
// which compiles every rule, therefore never blocks delivery. It counts what is loaded.
//
// It is the ChangeSink of a PgChangeListener: an outage of the preferences store is logged as a
// warning and shown by store_healthy() (a metric and /readyz), and matching goes on with the
// last rules loaded until the store is back and everyone is reloaded.
//
// Thread-safety: every method may be called from any thread; loads and changes are serialised.
// REQUIRES: `engine` outlives this object.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/rule_engine.h"
#include "pipeline/rule_population.h"
#include "prefs/change_sink.h"

namespace fmn::pipeline {

class LivePreferences : public prefs::ChangeSink {
 public:
  // `source` names where the preferences come from, for the log; `compiler` is shared with
  // the validation of the preferences, so what it checked is not compiled again.
  LivePreferences(
      engine::RuleEngine& engine, Shard shard, std::string source,
      std::shared_ptr<dsl::RuleCompiler> compiler = std::make_shared<dsl::RuleCompiler>());

  // Replaces every user (users of other shards are skipped).
  void replace(const std::vector<prefs::User>& users);

  // prefs::ChangeSink
  void users_changed(std::vector<prefs::UserChange> changes) override;
  void population_replaced(prefs::Population population) override;
  void store_status(bool healthy, const std::string& message) override;

  // The secret token of destination `address` of `kind` (a kind with a secret holder, see
  // core/destination_kinds.h), as the store keeps it (a digest for a kind whose secret is only
  // compared: core/stored_secret.h's secret_matches()); empty when none of this shard's users
  // has it.
  std::string destination_secret(DestinationKind kind, std::string_view address) const;

  PopulationTotals totals() const;
  bool store_healthy() const { return store_healthy_.load(); }
  uint64_t loads() const { return loads_.load(); }                // whole populations applied
  uint64_t user_updates() const { return user_updates_.load(); }  // users changed one by one
  uint64_t store_failures() const { return store_failures_.load(); }

 private:
  struct Secret {
    std::string user, token;
  };
  // "<kind name>:<address>" -> owner and secret, for every destination that has a token.
  using Secrets = std::unordered_map<std::string, Secret>;

  // `base` with the secrets of `users` (this shard's) replacing those they had.
  std::shared_ptr<const Secrets> secrets_of(const Secrets& base,
                                            const std::vector<const prefs::User*>& users,
                                            const std::vector<std::string>& replaced) const;
  const Secret* find_secret(const Secrets& secrets, DestinationKind kind,
                            std::string_view address) const;
  void log_rejections(const BuildReport& report) const;
  void publish_totals();

  engine::RuleEngine& engine_;
  const std::string source_;
  std::mutex writer_mu_;  // one load or change at a time: the population and its publication
  RulePopulation population_;
  mutable std::mutex totals_mu_;  // held only to copy: the totals of the last publication
  PopulationTotals totals_;
  std::atomic<std::shared_ptr<const Secrets>> secrets_;
  std::atomic<bool> store_healthy_{true};
  std::atomic<uint64_t> loads_{0}, user_updates_{0}, store_failures_{0};
};

}  // namespace fmn::pipeline
