// Internal to dsl/codegen/: lowering one rule shape to an LLVM function.
//
// lower_rule() emits `i8 name(i8* message, i8* params, i8* rule)`: the rule's and/or/not tree as
// branches (short-circuit, left to right, as the interpreter), each leaf test a call to the
// runtime helper choose_helper() picks for it. Constants are not baked in: helpers read them from
// the rule passed at run time, so the function serves every rule of the shape.
#pragma once

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>

#include <string>

#include "dsl/codegen/runtime_helpers.h"

namespace fmn::codegen {

struct HelperCall {
  Helper helper = Helper::kAtom;
  uint32_t a = 0;
  uint32_t b = 0;
};

// The cheapest helper that computes `atom` exactly as dsl::test_atom does.
HelperCall choose_helper(const dsl::CompiledRule& rule, uint32_t atom_index);

llvm::Function* lower_rule(llvm::Module& module, const dsl::CompiledRule& rule,
                           const std::string& name);

}  // namespace fmn::codegen
