// What would become of a match of a user's rule, per delivery, if it arrived at `now`:
// delivered at once, held for a digest (and when it is due: "digest due at 08:00
// Europe/Prague"), held by quiet hours or a snooze ("held: quiet hours until 07:00
// Europe/Prague"), held until the destination is confirmed, not delivered (the destination was
// rejected, or it or the user is muted: "not delivered: muted until 20:00 Europe/Prague"), or
// nothing (the rule or the user is disabled). Read from the preferences alone:
// digests already waiting in the delivery state are not consulted (`fmn-prefs digests` lists
// them). For "why did I (not) get this?" tools (fmn-rulec explain --prefs, fmn-prefs explain).
// Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "prefs/model.h"

namespace fmn::prefs {

// One indented line per delivery of user.rules[rule] ("  -> email (email a@b.org): ...").
// REQUIRES: rule < user.rules.size().
std::string describe_delivery(const User& user, size_t rule, WallTime now);

// The time a tool's `--now TEXT` names: "2024-05-01T21:30:00Z", or the system clock's now when
// TEXT is empty; nullopt when TEXT is malformed.
std::optional<WallTime> outlook_time(std::string_view text);

}  // namespace fmn::prefs
