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
  }
  return "?";
}

}  // namespace fmn::dsl
