// The checker: everything about a parsed rule file that the grammar cannot say.
//
// Resolves names (fields, `$parameters`, definitions; unknown ones get a "did you mean"),
// checks operand types per operator, compiles `matches` regexes with RE2 (storing them on the
// Expr for the lowering to share), enforces the limits in limits.h, and warns where it is
// cheap to see that a test is always true or false, repeated, or a definition unused; then
// checks the text itself (checker_text.h) and warns about tests that cannot mean what they
// say (checker_warnings.h).
// Reports every problem to `diagnostics`; never throws. A Module with no checker errors can
// be lowered (lower.h).
#pragma once

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace fmn::dsl {

void check(const SourceFile& file, Module& module, Diagnostics& diagnostics);

}  // namespace fmn::dsl
