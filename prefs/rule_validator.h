// The seam through which preferences check rule text: the rule-language checker behind a
// function, so prefs/ stores and validates rules without knowing the compiler's internals.
//
// A RuleValidator returns every diagnostic for one rule's source (empty when the rule is fine):
// positions are relative to the source text, the subject is empty, the code is the
// rule language's ("E0101"). It must be thread-safe and must not throw. dsl_rule_validator() is the
// real one (the rule-language checker).
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"

namespace fmn::prefs {

using RuleValidator = std::function<std::vector<Diagnostic>(std::string_view source)>;

}  // namespace fmn::prefs
