#include "prefs/pg_migrations.h"

#include <pqxx/transaction>

#include "core/destination_kinds.h"

namespace fmn::embedded {
std::string_view prefs_migration_0001();
std::string_view prefs_migration_0002();
std::string_view prefs_migration_0003();
std::string_view prefs_migration_0004();
std::string_view prefs_migration_0005();
std::string_view prefs_migration_0006();
}  // namespace fmn::embedded

namespace fmn::prefs::pg {
namespace {

constexpr const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS fmn_schema_version ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

// Any constant works; it only has to be the same in every fmn process.
constexpr const char* kLock = "SELECT pg_advisory_xact_lock(7236170851216355328)";

int current_version(pqxx::transaction_base& tx) {
  return tx.exec1("SELECT coalesce(max(version), 0) FROM fmn_schema_version")[0].as<int>();
}

// The constraint carries its own text as a comment: equal text, nothing to do.
constexpr const char* kKindCheckText =
    "SELECT coalesce(obj_description(oid, 'pg_constraint'), '') FROM pg_constraint"
    " WHERE conrelid = 'fmn_destinations'::regclass AND conname = 'fmn_destinations_kinds'";

bool kind_check_current(pqxx::transaction_base& tx) {
  pqxx::result r = tx.exec(kKindCheckText);
  return !r.empty() && r[0][0].as<std::string>() == destination_kind_check();
}

void write_kind_check(pqxx::transaction_base& tx) {
  const std::string check = destination_kind_check();
  tx.exec0("ALTER TABLE fmn_destinations DROP CONSTRAINT IF EXISTS fmn_destinations_kinds");
  tx.exec0("ALTER TABLE fmn_destinations ADD CONSTRAINT fmn_destinations_kinds CHECK (" + check +
           ")");
  tx.exec0("COMMENT ON CONSTRAINT fmn_destinations_kinds ON fmn_destinations IS " +
           tx.quote(check));
}

// "'email', 'irc'": the names of the kinds `wanted` selects; "NULL" when none (IN (NULL) is
// never true).
template <typename Pred>
std::string kind_names(Pred wanted) {
  std::string out;
  for (const DestinationKindInfo& info : destination_kinds()) {
    if (!wanted(info)) continue;
    if (!out.empty()) out += ", ";
    out += "'" + std::string(info.name) + "'";
  }
  return out.empty() ? "NULL" : out;
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kAll = {
      {1, "schema", embedded::prefs_migration_0001()},
      {2, "change_notify", embedded::prefs_migration_0002()},
      {3, "kinds_from_table", embedded::prefs_migration_0003()},
      {4, "delivery_times", embedded::prefs_migration_0004()},
      {5, "user_lists", embedded::prefs_migration_0005()},
      {6, "mute", embedded::prefs_migration_0006()},
  };
  return kAll;
}

std::string destination_kind_check() {
  return "kind IN (" + kind_names([](const DestinationKindInfo& k) { return k.user_destination; }) +
         ") AND (kind IN (" +
         kind_names([](const DestinationKindInfo& k) { return !k.secret_holder.empty(); }) +
         ")) = (token IS NOT NULL)";
}

Result<int> schema_version(pqxx::connection& connection) {
  try {
    pqxx::read_transaction tx(connection);
    if (tx.exec1("SELECT to_regclass('fmn_schema_version') IS NULL")[0].as<bool>()) return 0;
    return current_version(tx);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, std::string("reading the schema version: ") + e.what()};
  }
}

Result<int> migrate(pqxx::connection& connection) {
  const int newest = migrations().back().version;
  // A current schema needs no lock and no DDL: a role that may only read and write the
  // tables can then start the service.
  if (auto version = schema_version(connection); version && *version == newest) {
    try {
      pqxx::read_transaction tx(connection);
      if (kind_check_current(tx)) return newest;
    } catch (const std::exception& e) {
      return Error{ErrorCode::kIo, std::string("reading the destination kinds: ") + e.what()};
    }
  }
  try {
    pqxx::work tx(connection);
    tx.exec(kLock);
    tx.exec0(kCreateVersionTable);
    int version = current_version(tx);
    if (version > newest) {
      return Error{ErrorCode::kInvalidConfig,
                   "the database schema is version " + std::to_string(version) +
                       ", newer than this fmn (" + std::to_string(newest) + "): upgrade fmn"};
    }
    for (const auto& m : migrations()) {
      if (m.version <= version) continue;
      tx.exec0(std::string(m.sql));
      tx.exec0("INSERT INTO fmn_schema_version (version, name) VALUES (" +
               std::to_string(m.version) + ", " + tx.quote(std::string(m.name)) + ")");
    }
    if (!kind_check_current(tx)) write_kind_check(tx);
    tx.commit();
    return newest;
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, std::string("migrating the preferences schema: ") + e.what()};
  }
}

}  // namespace fmn::prefs::pg
