// Moves the whole population in and out of PostgreSQL with COPY: the cold start of a service
// (a million users in seconds) and bulk import.
//
// copy_population_out() reads each table in one COPY stream and assembles the users in memory
// (rule texts interned: one SharedText per distinct source); it relies on the caller's
// transaction for a consistent snapshot (use REPEATABLE READ). copy_population_in() writes
// into empty tables, assigning ids in population order. Both throw libpqxx exceptions on
// database errors (the store converts them) and report malformed rows as an Error. Not
// thread-safe (the caller's transaction).
#pragma once

#include <pqxx/transaction_base>

#include "core/result.h"
#include "prefs/model.h"

namespace fmn::prefs::pg {

Result<Population> copy_population_out(pqxx::transaction_base& tx);

// REQUIRES: the fmn tables are empty (e.g. truncated in this transaction); `population` is
// valid (validate_population()).
void copy_population_in(pqxx::transaction_base& tx, const Population& population);

}  // namespace fmn::prefs::pg
