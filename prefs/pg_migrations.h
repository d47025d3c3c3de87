// Versioned schema migrations for the PostgreSQL store.
//
// The SQL files under prefs/migrations/ are compiled into the binary, numbered from 1.
// migrate() applies the missing ones in order, in one transaction under an advisory lock, and
// records each in fmn_schema_version: concurrent starts are safe, and a failing migration leaves
// the database as it was. A database newer than the binary is refused (never downgraded).
// The CHECK on fmn_destinations' kind and token is not in a file: migrate() writes it from the
// table of destination kinds (core/destination_kinds.h) when the database's differs, so a new
// kind needs no migration. An older binary narrows it back, which fails while rows of a kind it
// does not know exist: it then refuses to start, as it does for a newer schema version.
// Not thread-safe (uses the caller's connection).
#pragma once

#include <pqxx/connection>

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fmn::prefs::pg {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Every migration this binary knows, by increasing version.
const std::vector<Migration>& migrations();

// The schema version of the database: 0 when fmn never touched it.
Result<int> schema_version(pqxx::connection& connection);

// The CHECK constraint the table of destination kinds asks for, e.g.
// "kind IN ('email', 'irc', 'sse') AND (kind IN ('sse')) = (token IS NOT NULL)".
std::string destination_kind_check();

// Brings the schema up to the newest version; returns it. Reads only (no lock, no DDL) when
// the schema and the kind constraint are current already.
Result<int> migrate(pqxx::connection& connection);

}  // namespace fmn::prefs::pg
