// What would become of a match of a user's rule, per delivery: delivered at once, held for a
// digest (and when it is sent), held until the destination is confirmed, not delivered (the
// destination was rejected), or nothing (the rule or the user is disabled). Read from the
// preferences alone: digests already waiting in the delivery state are not consulted. For
// "why did I (not) get this?" tools (fmn-rulec explain --prefs, fmn-prefs explain). Pure.
#pragma once

#include <string>

#include "prefs/model.h"

namespace fmn::prefs {

// One indented line per delivery of user.rules[rule] ("  -> email (email a@b.org): ...").
// REQUIRES: rule < user.rules.size().
std::string describe_delivery(const User& user, size_t rule);

}  // namespace fmn::prefs
