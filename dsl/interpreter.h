// The reference interpreter: does a rule match a message, for a user? Its answers define the
// language's semantics (docs/rules-language.md); native code must agree with it.
//
// Work per call is bounded by the rule's size (kMaxRuleNodes, no loops) and the message's
// size; `and`/`or` short-circuit left to right. No allocation, no exceptions. Thread-safe:
// any number of threads may evaluate the same rule at once.
// REQUIRES: params.normalize() was called.
#pragma once

#include "core/message.h"
#include "dsl/program.h"
#include "dsl/user_params.h"

namespace fmn::dsl {

bool evaluate(const CompiledRule& rule, const Message& message, const ParamsView& params) noexcept;

}  // namespace fmn::dsl
