#include "dsl/ast.h"

namespace fmn::dsl {

static_assert(case_sensitive(Op::kEqFold) == Op::kEq && case_sensitive(Op::kInFold) == Op::kIn &&
              case_sensitive(Op::kContainsFold) == Op::kContains && !ignores_case(Op::kMatches));

std::optional<std::string_view> user_list_name(std::string_view param_text) {
  constexpr std::string_view kPrefix = "lists.";
  if (!param_text.starts_with(kPrefix)) return std::nullopt;
  return param_text.substr(kPrefix.size());
}

std::string_view quantifier_spelling(Quantifier q) {
  switch (q) {
    case Quantifier::kAny:
      return "any";
    case Quantifier::kAll:
      return "all";
    case Quantifier::kNone:
      break;
  }
  return "";
}

std::string_view op_spelling(Op op) {
  switch (op) {
    case Op::kEq:
      return "==";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kIn:
      return "in";
    case Op::kGlob:
      return "~";
    case Op::kStartsWith:
      return "startswith";
    case Op::kEndsWith:
      return "endswith";
    case Op::kContains:
      return "contains";
    case Op::kMatches:
      return "matches";
    case Op::kEqFold:
      return "==*";
    case Op::kNeFold:
      return "!=*";
    case Op::kInFold:
      return "in*";
    case Op::kGlobFold:
      return "~*";
    case Op::kStartsWithFold:
      return "startswith*";
    case Op::kEndsWithFold:
      return "endswith*";
    case Op::kContainsFold:
      return "contains*";
  }
  return "?";
}

}  // namespace fmn::dsl
