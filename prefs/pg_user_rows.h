// One user's rows in PostgreSQL: the prepared statements that read, write and delete a whole
// user record. Shared by PgStore (CLI, import) and PgChangeListener (re-reading changed users).
//
// prepare_user_statements() must run once per connection before the others. All functions run
// inside the caller's transaction and throw libpqxx exceptions (callers convert them).
#pragma once

#include <pqxx/connection_base>
#include <pqxx/transaction_base>

#include <optional>
#include <string>

#include "prefs/model.h"

namespace fmn::prefs::pg {

void prepare_user_statements(pqxx::connection_base& connection);

// The user's record, or nullopt when there is none.
std::optional<User> read_user(pqxx::transaction_base& tx, const std::string& name);

// Inserts or replaces the whole record (the user's row kept, its children rewritten), and
// drops rule texts no rule uses any more. REQUIRES: `user` is valid (validate_user()).
void write_user(pqxx::transaction_base& tx, const User& user);

// False when there was no such user.
bool delete_user(pqxx::transaction_base& tx, const std::string& name);

}  // namespace fmn::prefs::pg
