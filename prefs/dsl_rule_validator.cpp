#include "prefs/dsl_rule_validator.h"

#include <algorithm>

#include "dsl/compile.h"
#include "dsl/fields.h"

namespace fmn::prefs {
namespace {

constexpr std::string_view kRuleHead = "rule \"r\" = ";

// The defaults file's definitions only (its own rules would clash with a user's names).
const std::string& prelude() {
  static const std::string kPrelude = [] {
    const std::string& text = dsl::default_rules_source().text();
    size_t first_rule = text.find("\nrule ");
    return text.substr(0, first_rule == std::string::npos ? text.size() : first_rule + 1);
  }();
  return kPrelude;
}

}  // namespace

std::string rule_file_text(std::string_view name, std::string_view source) {
  std::string text = prelude();
  text += "rule \"";
  text += name;
  text += "\" = ";
  text += source;
  text += "\n";
  return text;
}

std::optional<dsl::CompiledRule> compile_stored_rule(std::string_view source, std::string& error) {
  dsl::SourceFile file("rule", rule_file_text("r", source));
  dsl::Diagnostics diagnostics;
  std::optional<dsl::RuleSet> set = dsl::compile(file, diagnostics);
  if (!set || set->rules.empty()) {
    for (const dsl::Diagnostic& d : diagnostics.all()) error += dsl::render_text(file, d);
    return std::nullopt;
  }
  return std::move(set->rules.back());
}

CompiledUserRules compile_user_rules(const User& user) {
  CompiledUserRules out;
  for (size_t r = 0; r < user.rules.size(); ++r) {
    std::string error;
    auto compiled = compile_stored_rule(user.rules[r].source.str(), error);
    if (!compiled) {
      out.errors.push_back("rule \"" + user.rules[r].name + "\" does not compile:\n" + error);
      continue;
    }
    compiled->name = user.rules[r].name;
    out.rules.rules.push_back(std::move(*compiled));
    out.rule_of.push_back(r);
  }
  return out;
}

dsl::UserParams rule_params(const User& user) {
  dsl::UserParams params;
  params.me = user.name;
  for (const dsl::ParamInfo& p : dsl::all_params()) {
    if (p.type != dsl::ValueType::kList) continue;
    if (const std::vector<std::string>* list = user.list(p.filled_from)) params.list(p.id) = *list;
  }
  params.normalize();
  return params;
}

RuleValidator dsl_rule_validator() {
  return [](std::string_view source) {
    const std::string& head = prelude();
    dsl::SourceFile file("rule", head + std::string(kRuleHead) + std::string(source) + "\n");
    const uint32_t start = static_cast<uint32_t>(head.size() + kRuleHead.size());
    const uint32_t head_lines = file.position(start).line - 1;
    const uint32_t head_columns = static_cast<uint32_t>(kRuleHead.size());
    dsl::Diagnostics diagnostics;
    dsl::parse_and_check(file, diagnostics);
    std::vector<Diagnostic> out;
    for (const auto& d : diagnostics.all()) {
      if (d.range.begin < start && d.range.end <= start) continue;  // about the defaults
      auto at = file.position(std::max(d.range.begin, start));
      uint32_t line = at.line - head_lines;
      uint32_t column = line == 1 ? at.column - head_columns : at.column;
      const auto& info = dsl::code_info(d.code);
      out.push_back(
          {info.severity, {line, column}, "", std::string(info.id) + ": " + d.message, d.hint});
    }
    return out;
  };
}

}  // namespace fmn::prefs
