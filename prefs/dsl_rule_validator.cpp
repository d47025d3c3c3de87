#include "prefs/dsl_rule_validator.h"

namespace fmn::prefs {

RuleValidator dsl_rule_validator(std::shared_ptr<dsl::RuleCompiler> compiler) {
  return [compiler = std::move(compiler)](std::string_view source) {
    std::shared_ptr<const dsl::StoredRuleResult> result = compiler->compile(source);
    std::vector<Diagnostic> out;
    for (const dsl::RuleDiagnostic& d : result->diagnostics) {
      const auto& info = dsl::code_info(d.code);
      out.push_back(
          {info.severity, {d.line, d.column}, "", std::string(info.id) + ": " + d.message, d.hint});
    }
    return out;
  };
}

}  // namespace fmn::prefs
