// The seam through which preferences check rule text: the rule-language checker behind a
// function, so prefs/ stores and validates rules without knowing the compiler's internals.
//
// A RuleValidator returns every diagnostic for one rule's source (empty when the rule is fine);
// positions are 1-based and relative to the source text. It must be thread-safe and must not
// throw. dsl_rule_validator() is the real one (the rule-language checker).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fmn::prefs {

struct RuleDiagnostic {
  bool is_error = true;  // warnings do not reject a rule
  uint32_t line = 1;
  uint32_t column = 1;
  std::string message;  // e.g. "error[E0003]: unknown field `pakages`" minus the severity
  std::string hint;
};

using RuleValidator = std::function<std::vector<RuleDiagnostic>(std::string_view source)>;

}  // namespace fmn::prefs
