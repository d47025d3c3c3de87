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

#include "dsl/rule_compiler.h"
#include "prefs/rule_validator.h"

namespace fmn::prefs {

RuleValidator dsl_rule_validator(
    std::shared_ptr<dsl::RuleCompiler> compiler = std::make_shared<dsl::RuleCompiler>());

}  // namespace fmn::prefs
