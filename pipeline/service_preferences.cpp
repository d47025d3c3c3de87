#include "pipeline/service_impl.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "prefs/pg_store.h"

namespace fmn::embedded {
std::string_view default_preferences();
}  // namespace fmn::embedded

namespace fmn::pipeline {

Result<bool> Service::Impl::open_preferences_database() {
  // Listening starts before the cold load, so a change committed during it is reported after.
  auto listener = prefs::PgChangeListener::start(config.prefs_database, *preferences);
  if (!listener) return listener.error();
  pg_listener = std::move(listener).value();
  auto pg = prefs::PgStore::open(config.prefs_database, prefs::dsl_rule_validator(rule_compiler));
  if (!pg) return pg.error();
  store = std::move(pg).value();
  return true;
}

Result<bool> Service::Impl::open_preferences() {
  if (!config.prefs_database.empty()) {
    if (auto ok = open_preferences_database(); !ok) return ok.error();
  } else if (!config.prefs_file.empty()) {
    store = std::make_unique<prefs::FileStore>(config.prefs_file,
                                               prefs::dsl_rule_validator(rule_compiler));
  }
  auto population = load_preferences();
  if (!population) return population.error();
  if (!config.prefs_file.empty() && config.prefs_database.empty()) {
    file_watcher = std::make_unique<prefs::FileWatcher>(
        config.prefs_file, prefs::dsl_rule_validator(rule_compiler), *population, *preferences);
  }
  return true;
}

Result<prefs::Population> Service::Impl::read_preferences() {
  if (store) return store->load_all();
  return prefs::parse_preferences_text(embedded::default_preferences(), "default.toml",
                                       prefs::dsl_rule_validator(rule_compiler));
}

Result<prefs::Population> Service::Impl::load_preferences() {
  auto population = read_preferences();
  if (!population) return population.error();
  preferences->replace(population->users);
  return population;
}

}  // namespace fmn::pipeline
