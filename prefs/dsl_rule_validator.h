// The real RuleValidator: a user's rule text checked by the rule-language compiler
// (dsl/rule_compiler.h), the one the rule population compiles with.
//
// A stored rule's source is the predicate only (what follows `rule "name" =` in a rule file).
// It may use the definitions of FMN's defaults and the per-user parameters. Diagnostics carry
// positions inside the rule text; the defaults' own warnings are not reported. Give the
// validator the service's compiler so a rule checked when stored is not compiled again when
// loaded. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dsl/program.h"
#include "dsl/rule_compiler.h"
#include "dsl/user_list_checks.h"
#include "dsl/user_params.h"
#include "prefs/model.h"
#include "prefs/rule_validator.h"

namespace fmn::prefs {

RuleValidator dsl_rule_validator(
    std::shared_ptr<dsl::RuleCompiler> compiler = std::make_shared<dsl::RuleCompiler>());

// Every rule of `user` through `compiler`, named after the rule: rules.rules[i] is
// user.rules[rule_of[i]]; a rule that does not compile is left out, with a line in `errors`.
struct CompiledUserRules {
  dsl::RuleSet rules;
  std::vector<size_t> rule_of;
  std::vector<std::string> errors;
};
CompiledUserRules compile_user_rules(const User& user, dsl::RuleCompiler& compiler);

// Views of the user's named lists, for the checks of user_list_checks.h. REQUIRES: `user`
// outlives them.
std::vector<dsl::ListEntries> list_entries(const User& user);

// The values of the $parameters a user's rules read (dsl/fields.h) and the user's named lists,
// normalized.
dsl::UserParams rule_params(const User& user);

}  // namespace fmn::prefs
