// One user's rules and parameters read from a preferences file (docs/preferences.md), for
// `eval` and `explain --prefs FILE --user NAME`: the rules as the service compiles them (what
// becomes of a match: prefs/delivery_outlook.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/program.h"
#include "dsl/user_params.h"
#include "prefs/model.h"

namespace fmn::rulec {

struct UserRules {
  prefs::User user;
  dsl::RuleSet rules;           // the user's rules that compile, in order
  std::vector<size_t> rule_of;  // rules.rules[i] is user.rules[rule_of[i]]
  dsl::UserParams params;
};

// Reads `path` and picks `name`; prints what went wrong (prefixed by `command`) and returns
// nullopt when the file does not load or has no such user. Rules that do not compile are
// reported and left out.
std::optional<UserRules> load_user_rules(const std::string& path, const std::string& name,
                                         const char* command);

}  // namespace fmn::rulec
