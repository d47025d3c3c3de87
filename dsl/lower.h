// Lowering: a checked syntax tree to CompiledRules (program.h).
//
// Expands definitions in place, flattens chains of the same operator, removes double
// negations, turns literals into numbered constants (lists sorted, glob lists sorted and
// de-duplicated) and fills each rule's canonical text and shape. A rule that grows past
// kMaxRuleNodes once its definitions are expanded is error E0301 and left out.
// REQUIRES: `module` passed check() without errors.
#pragma once

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/program.h"

namespace fmn::dsl {

RuleSet lower(const Module& module, Diagnostics& diagnostics);

}  // namespace fmn::dsl
