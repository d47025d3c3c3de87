// PreferenceStore: where users' preferences live (a file, PostgreSQL), behind one interface so
// the CLI and the service work on either and unit tests stay hermetic.
//
// Every write is validated first (validation.h, rules through the store's RuleValidator) and
// applied atomically: a rejected write changes nothing. Errors are values; adapters convert
// their libraries' exceptions. An instance is not thread-safe: use one per thread.
#pragma once

#include <optional>
#include <string_view>
#include <variant>

#include "core/result.h"
#include "prefs/model.h"

namespace fmn::prefs {

using Status = Result<std::monostate>;
inline Status ok_status() { return std::monostate{}; }

class PreferenceStore {
 public:
  virtual ~PreferenceStore() = default;

  // Every user, in a stable order (file order; creation order in PostgreSQL).
  virtual Result<Population> load_all() = 0;

  // The user's current record, or nullopt when there is none.
  virtual Result<std::optional<User>> load_user(std::string_view name) = 0;

  // Inserts the user, or replaces the whole record of the user with that name.
  // Fails with kInvalidConfig and every diagnostic (rendered) when the record is invalid.
  virtual Status put_user(const User& user) = 0;

  // False when there was no such user.
  virtual Result<bool> remove_user(std::string_view name) = 0;

  // Replaces every user at once (import): all or nothing.
  virtual Status replace_all(const Population& population) = 0;
};

}  // namespace fmn::prefs
