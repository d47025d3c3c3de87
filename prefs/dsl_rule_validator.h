// The real RuleValidator: a user's rule text checked by the rule-language compiler.
//
// A stored rule's source is the predicate only (what follows `rule "name" =` in a rule file).
// It may use the definitions of FMN's defaults (corpus/rules/fmn-defaults.fmn: mutual_noise,
// package_noise, ...) and the per-user parameters ($me, $my_packages, ...). Diagnostics carry
// positions inside the rule text; the defaults' own warnings are not reported. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/program.h"
#include "dsl/user_params.h"
#include "prefs/model.h"
#include "prefs/rule_validator.h"

namespace fmn::prefs {

RuleValidator dsl_rule_validator();

// The rule file the compiler sees for one stored rule: the defaults' definitions, then
// `rule "<name>" = <source>`. The matcher compiles user rules the same way.
std::string rule_file_text(std::string_view name, std::string_view source);

// A stored rule's source compiled as the matcher compiles it (through rule_file_text()), or
// nullopt with the rendered diagnostics in `error`.
std::optional<dsl::CompiledRule> compile_stored_rule(std::string_view source, std::string& error);

// Every rule of `user` through compile_stored_rule(), named after the rule: rules.rules[i] is
// user.rules[rule_of[i]]; a rule that does not compile is left out, with a line in `errors`.
struct CompiledUserRules {
  dsl::RuleSet rules;
  std::vector<size_t> rule_of;
  std::vector<std::string> errors;
};
CompiledUserRules compile_user_rules(const User& user);

// The values of the $parameters a user's rules read (dsl/fields.h), normalized.
dsl::UserParams rule_params(const User& user);

}  // namespace fmn::prefs
