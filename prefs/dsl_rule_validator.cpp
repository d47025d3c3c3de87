#include "prefs/dsl_rule_validator.h"

#include "dsl/fields.h"

namespace fmn::prefs {

RuleValidator dsl_rule_validator(std::shared_ptr<dsl::RuleCompiler> compiler) {
  return [compiler = std::move(compiler)](std::string_view source, const User& user) {
    return dsl::diagnostics_for_user(*compiler->compile(source), list_entries(user));
  };
}

CompiledUserRules compile_user_rules(const User& user, dsl::RuleCompiler& compiler) {
  CompiledUserRules out;
  for (size_t r = 0; r < user.rules.size(); ++r) {
    std::shared_ptr<const dsl::StoredRuleResult> result =
        compiler.compile(user.rules[r].source.str());
    if (!result->rule) {
      out.errors.push_back("rule \"" + user.rules[r].name +
                           "\" does not compile: " + result->errors + "\n");
      continue;
    }
    dsl::CompiledRule rule = *result->rule;
    rule.name = user.rules[r].name;
    out.rules.rules.push_back(std::move(rule));
    out.rule_of.push_back(r);
  }
  return out;
}

std::vector<dsl::ListEntries> list_entries(const User& user) {
  std::vector<dsl::ListEntries> out;
  out.reserve(user.lists.size());
  for (const NamedList& l : user.lists) out.push_back({l.name, &l.items});
  return out;
}

dsl::UserParams rule_params(const User& user) {
  dsl::UserParams params;
  params.me = user.name;
  for (const dsl::ParamInfo& p : dsl::all_params()) {
    if (p.type != dsl::ValueType::kList) continue;
    if (const std::vector<std::string>* list = user.list(p.filled_from)) params.list(p.id) = *list;
  }
  for (const NamedList& l : user.lists) params.lists.push_back({l.name, l.items});
  params.normalize();
  return params;
}

}  // namespace fmn::prefs
