#include "dsl/ast.h"

namespace fmn::dsl {

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

bool ignores_case(Op op) { return case_sensitive(op) != op; }

Op case_sensitive(Op op) {
  switch (op) {
    case Op::kEqFold:
      return Op::kEq;
    case Op::kNeFold:
      return Op::kNe;
    case Op::kInFold:
      return Op::kIn;
    case Op::kGlobFold:
      return Op::kGlob;
    case Op::kStartsWithFold:
      return Op::kStartsWith;
    case Op::kEndsWithFold:
      return Op::kEndsWith;
    case Op::kContainsFold:
      return Op::kContains;
    default:
      return op;
  }
}

}  // namespace fmn::dsl
