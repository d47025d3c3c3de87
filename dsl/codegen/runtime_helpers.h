// The runtime helpers native rule code calls: ordinary C++ functions, one per kind of leaf test,
// unit-tested natively (tests/codegen/runtime_helpers_test.cpp) and registered with the JIT by
// name (runtime_symbols()).
//
// Every helper has the same signature, so the lowering emits one call shape:
//   uint8_t helper(const Message*, const ParamsView*, const CompiledRule*, uint32_t a, uint32_t b)
// returning 1 or 0. `a` and `b` are immediates chosen when the shape is compiled (an atom index,
// a field id, a parameter id, a constant index); the rule supplies its constants at run time, so
// one function serves every rule of a shape. The generic helper runs dsl::test_atom (the
// reference semantics); the specialised ones are shortcuts for the tests FMN's rules are made
// of, and must agree with it (tests check every corpus message). Thread-safe; no allocation.
#pragma once

#include <cstdint>
#include <vector>

#include "core/message.h"
#include "dsl/codegen/jit_engine.h"
#include "dsl/program.h"
#include "dsl/user_params.h"

namespace fmn::codegen {

// What a compiled rule shape is: called with the rule whose constants it reads.
using RuleFn = bool (*)(const Message*, const dsl::ParamsView*, const dsl::CompiledRule*);

enum class Helper : uint8_t {
  kAtom,           // a = atom index: dsl::test_atom, any test
  kListsMeet,      // a = FieldId of a list field, b = ParamId of a list: non-empty intersection
  kMeInList,       // a = FieldId of a list field: `$me in <field>`
  kScalarInParam,  // a = FieldId of a string field, b = ParamId of a list: `<field> in $list`
  kTopicGlob,      // a = constant index (globs): `topic ~ ...`
  kTopicEq,        // a = constant index (a string): `topic == "..."`
  kTopicStarts,    // a = constant index (string or list): `topic startswith ...`
  kTopicEnds,      // a = constant index (string or list): `topic endswith ...`
  kTopicContains,  // a = constant index (string or list): `topic contains ...`
};
inline constexpr int kHelperCount = 9;

// The helper's symbol name, as the generated code calls it.
const char* helper_name(Helper helper);

using HelperFn = uint8_t (*)(const Message*, const dsl::ParamsView*, const dsl::CompiledRule*,
                             uint32_t, uint32_t);
HelperFn helper_function(Helper helper);

// Every helper, for JitOptions::runtime.
std::vector<RuntimeSymbol> runtime_symbols();

}  // namespace fmn::codegen
