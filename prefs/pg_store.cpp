#include "prefs/pg_store.h"

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "prefs/pg_migrations.h"
#include "prefs/pg_population_copy.h"
#include "prefs/pg_user_rows.h"
#include "prefs/validation.h"

namespace fmn::prefs {
namespace {

// Constraint violations are the user's mistake (kInvalidConfig); anything else is the
// database's or the network's (kIo).
Error to_error(const std::exception& e, const std::string& doing) {
  std::string what = e.what();
  while (!what.empty() && what.back() == '\n') what.pop_back();
  if (dynamic_cast<const pqxx::unique_violation*>(&e)) {
    std::string message = what.find("kind_address") != std::string::npos
                              ? "duplicate address: it already belongs to another user"
                              : "duplicate value";
    return {ErrorCode::kInvalidConfig, doing + ": " + message + " (" + what + ")"};
  }
  if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e)) {
    return {ErrorCode::kInvalidConfig, doing + ": rejected by the database: " + what};
  }
  return {ErrorCode::kIo, doing + ": " + what};
}

}  // namespace

struct PgStore::Connection {
  explicit Connection(const std::string& conninfo) : db(conninfo) {
    pg::prepare_user_statements(db);
  }
  pqxx::connection db;
};

PgStore::PgStore(std::string conninfo, RuleValidator validator)
    : conninfo_(std::move(conninfo)), validator_(std::move(validator)) {}

PgStore::~PgStore() = default;

Result<std::unique_ptr<PgStore>> PgStore::open(std::string conninfo, RuleValidator validator,
                                               SchemaPolicy schema) {
  std::unique_ptr<PgStore> store(new PgStore(std::move(conninfo), std::move(validator)));
  auto connection = store->connection();
  if (!connection) return connection.error();
  if (schema == SchemaPolicy::kMigrate) {
    auto version = pg::migrate((*connection)->db);
    if (!version) return version.error();
    return store;
  }
  auto version = pg::schema_version((*connection)->db);
  if (!version) return version.error();
  const int newest = pg::migrations().back().version;
  if (*version == 0) {
    return Error{ErrorCode::kInvalidConfig,
                 "the database has no fmn preferences schema: run `fmn-prefs migrate` first "
                 "(as a role that may create tables), or check the connection string"};
  }
  if (*version != newest) {
    return Error{ErrorCode::kInvalidConfig,
                 "the database schema is version " + std::to_string(*version) + ", this fmn uses " +
                     std::to_string(newest) +
                     (*version < newest ? ": run `fmn-prefs migrate` first" : ": upgrade fmn")};
  }
  return store;
}

Result<PgStore::Connection*> PgStore::connection() {
  if (connection_ && connection_->db.is_open()) return connection_.get();
  try {
    connection_ = std::make_unique<Connection>(conninfo_);
    return connection_.get();
  } catch (const std::exception& e) {
    connection_.reset();
    return to_error(e, "connecting to PostgreSQL");
  }
}

template <typename T, typename Fn>
Result<T> PgStore::run(const std::string& doing, Fn&& fn) {
  // A connection that broke since the last call (a database restart) is only noticed when
  // used: reconnect and try once more.
  for (int attempt = 0;; ++attempt) {
    auto c = connection();
    if (!c) return c.error();
    try {
      return fn((*c)->db);
    } catch (const pqxx::broken_connection& e) {
      connection_.reset();
      if (attempt == 1) return to_error(e, doing);
    } catch (const std::exception& e) {
      return to_error(e, doing);
    }
  }
}

Result<Population> PgStore::load_all() {
  return run<Population>("loading the preferences", [](pqxx::connection& db) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(db);
    auto population = pg::copy_population_out(tx);
    tx.commit();
    return population;
  });
}

Result<std::optional<User>> PgStore::load_user(std::string_view name) {
  return run<std::optional<User>>("reading user " + std::string(name), [&](pqxx::connection& db) {
    pqxx::read_transaction tx(db);
    return pg::read_user(tx, std::string(name));
  });
}

Status PgStore::put_user(const User& user) {
  std::vector<Diagnostic> diagnostics;
  validate_user(user, validator_, diagnostics);
  if (has_errors(diagnostics))
    return Error{ErrorCode::kInvalidConfig, render_text(diagnostics, "")};
  return run<std::monostate>("storing user " + user.name, [&](pqxx::connection& db) {
    pqxx::work tx(db);
    pg::write_user(tx, user);
    tx.commit();
    return std::monostate{};
  });
}

Result<bool> PgStore::remove_user(std::string_view name) {
  return run<bool>("removing user " + std::string(name), [&](pqxx::connection& db) {
    pqxx::work tx(db);
    bool removed = pg::delete_user(tx, std::string(name));
    tx.commit();
    return removed;
  });
}

Status PgStore::replace_all(const Population& population) {
  auto diagnostics = validate_population(population, validator_);
  if (has_errors(diagnostics))
    return Error{ErrorCode::kInvalidConfig, render_text(diagnostics, "")};
  return run<std::monostate>("importing the preferences", [&](pqxx::connection& db) {
    pqxx::work tx(db);
    tx.exec0("SET LOCAL fmn.bulk = 'on'");
    tx.exec0(
        "TRUNCATE fmn_deliveries, fmn_rules, fmn_rule_sources, fmn_destinations, fmn_users "
        "RESTART IDENTITY");
    // Checking foreign keys row by row dominates a bulk load; drop them, load, and re-add them
    // (one validating join each), all in this transaction.
    pqxx::result keys = tx.exec(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid::regclass::text LIKE 'fmn\\_%'");
    for (const auto& k : keys) {
      tx.exec0("ALTER TABLE " + k[0].as<std::string>() + " DROP CONSTRAINT " +
               tx.quote_name(k[1].as<std::string>()));
    }
    pg::copy_population_in(tx, population);
    for (const auto& k : keys) {
      tx.exec0("ALTER TABLE " + k[0].as<std::string>() + " ADD CONSTRAINT " +
               tx.quote_name(k[1].as<std::string>()) + " " + k[2].as<std::string>());
    }
    tx.exec("SELECT pg_notify('fmn_prefs', '*')");
    tx.commit();
    return std::monostate{};
  });
}

}  // namespace fmn::prefs
