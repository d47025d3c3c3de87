// PgStore: the preferences in PostgreSQL (schema: prefs/migrations/), through libpqxx.
//
// open() connects and, as asked, applies pending migrations or requires the schema to be
// current already (tools that only read or edit must not create tables in a wrong database).
// Single-user operations run prepared statements in one transaction each; load_all() streams every
// table with COPY from one REPEATABLE READ snapshot. Writes validate first; the database's
// constraints (unique addresses, same-user foreign keys) back that up, and their violations come
// back as kInvalidConfig errors naming the conflict. libpqxx exceptions never escape: a lost
// connection is a kIo error, and the next call reconnects. Not thread-safe: one PgStore per thread.
#pragma once

#include <memory>
#include <string>

#include "prefs/preference_store.h"
#include "prefs/rule_validator.h"

namespace fmn::prefs {

// What open() does about the schema.
enum class SchemaPolicy {
  kMigrate,  // apply pending migrations (needs a role that may create tables, unless current)
  kExisting  // refuse a database whose schema is missing or older, pointing to fmn-prefs migrate
};

class PgStore : public PreferenceStore {
 public:
  // `conninfo`: libpq keywords or URI ("host=... port=... dbname=...").
  static Result<std::unique_ptr<PgStore>> open(std::string conninfo, RuleValidator validator,
                                               SchemaPolicy schema = SchemaPolicy::kMigrate);
  ~PgStore() override;

  Result<Population> load_all() override;
  Result<std::optional<User>> load_user(std::string_view name) override;
  Status put_user(const User& user) override;
  Result<bool> remove_user(std::string_view name) override;
  // Replaces everything with COPY in one transaction; listeners get one "reload everything".
  Status replace_all(const Population& population) override;

 private:
  struct Connection;
  PgStore(std::string conninfo, RuleValidator validator);
  Result<Connection*> connection();
  // Runs fn(pqxx::connection&) with libpqxx exceptions converted; retries once on a broken
  // connection.
  template <typename T, typename Fn>
  Result<T> run(const std::string& doing, Fn&& fn);

  std::string conninfo_;
  RuleValidator validator_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace fmn::prefs
