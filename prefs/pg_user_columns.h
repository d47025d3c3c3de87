// The columns of fmn_users, and a user's values for them as text, derived from the model: the
// scalar columns (name, enabled, tz, snoozed_until, muted_until) and then one text[] column per
// entry of user_list_fields() (prefs/model.h). The per-user statements (pg_user_rows.h) and the
// bulk COPY (pg_population_copy.h) both take their column lists and values from here, so a list
// added to the model needs only the migration that adds its column.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <string>

#include "prefs/model.h"

namespace fmn::prefs::pg {

inline constexpr size_t kUserScalarColumns = 5;
inline constexpr size_t kUserColumnCount = kUserScalarColumns + std::size(kUserListFields);
using UserColumns = std::array<std::string, kUserColumnCount>;

// "name, enabled, tz, snoozed_until, muted_until, aliases, ...".
const std::string& user_columns();
// The column names, in that order.
const std::array<std::string_view, kUserColumnCount>& user_column_names();

// The user's values for those columns, as text PostgreSQL reads (bool "t"/"f", arrays as
// literals): parameters of a prepared statement, or fields of a COPY row.
UserColumns user_values(const User& user);
// Sets the user's fields from the columns' text values; false when one is malformed.
bool parse_user_values(const UserColumns& values, User& user);

}  // namespace fmn::prefs::pg
