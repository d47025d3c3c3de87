// ChangeSink: where a store's live changes go (the matcher's side of the change feed).
//
// Watchers (file_watcher.h, pg_change_listener.h) call it from their own thread, one call at a
// time; the sink must not block for long (it hands the change to whoever rebuilds the next
// generation). Matching keeps running on the last good population whatever the store does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "prefs/model.h"

namespace fmn::prefs {

struct UserChange {
  std::string name;          // the account
  std::optional<User> user;  // the new record; nullopt when the user was removed
};

class ChangeSink {
 public:
  virtual ~ChangeSink() = default;

  // These users changed, and only these: here are their new records.
  virtual void users_changed(std::vector<UserChange> changes) = 0;

  // Changes may have been missed (after a reconnection, or a bulk import): here is everyone.
  virtual void population_replaced(Population population) = 0;

  // The store became unreachable or came back, or a reload was rejected; `message` says what
  // happened (with the diagnostics of a rejected file). Purely informational.
  virtual void store_status(bool healthy, const std::string& message) = 0;
};

}  // namespace fmn::prefs
