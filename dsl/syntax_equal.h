// Structural equality of syntax trees: same shape, operators, names and literal values,
// whatever the layout, parentheses or source positions. The checker uses it to spot repeated
// tests; the round-trip tests to compare a file with its formatted version.
#pragma once

#include "dsl/ast.h"

namespace fmn::dsl {

bool syntax_equal(const Operand& a, const Operand& b);
bool syntax_equal(const Module& m, ExprId a, ExprId b);
bool syntax_equal(const Module& a, ExprId x, const Module& b, ExprId y);

}  // namespace fmn::dsl
