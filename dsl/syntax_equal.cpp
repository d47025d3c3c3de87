#include "dsl/syntax_equal.h"

#include <algorithm>

namespace fmn::dsl {

bool syntax_equal(const Operand& a, const Operand& b) {
  if (a.kind != b.kind || a.text != b.text) return false;
  switch (a.kind) {
    case OperandKind::kNumber:
      return a.number == b.number;
    case OperandKind::kBool:
      return a.boolean == b.boolean;
    case OperandKind::kList:
      return std::equal(a.items.begin(), a.items.end(), b.items.begin(), b.items.end(),
                        [](const Operand& x, const Operand& y) { return syntax_equal(x, y); });
    case OperandKind::kPath:
      return std::equal(a.segments.begin(), a.segments.end(), b.segments.begin(), b.segments.end(),
                        [](const PathSegment& x, const PathSegment& y) {
                          return x.key == y.key && x.index == y.index && x.every == y.every;
                        });
    case OperandKind::kString:
    case OperandKind::kParam:
      return true;
  }
  return false;
}

bool syntax_equal(const Module& a, ExprId x, const Module& b, ExprId y) {
  const Expr& e = a.at(x);
  const Expr& f = b.at(y);
  if (e.kind != f.kind) return false;
  switch (e.kind) {
    case ExprKind::kBool:
      return e.value == f.value;
    case ExprKind::kCompare:
      return e.op == f.op && e.quantifier == f.quantifier && syntax_equal(e.lhs, f.lhs) &&
             syntax_equal(e.rhs, f.rhs);
    case ExprKind::kExists:
    case ExprKind::kName:
      return syntax_equal(e.lhs, f.lhs);
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
      return std::equal(e.children.begin(), e.children.end(), f.children.begin(), f.children.end(),
                        [&](ExprId i, ExprId j) { return syntax_equal(a, i, b, j); });
  }
  return false;
}

bool syntax_equal(const Module& m, ExprId a, ExprId b) { return syntax_equal(m, a, m, b); }

}  // namespace fmn::dsl
