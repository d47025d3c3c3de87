// ShapeCompiler: native code for rule shapes, through LLVM ORC (jit_engine.h).
//
// Rules that differ only in their constants share a shape (dsl::CompiledRule::shape) and one
// compiled function, which reads the constants from the rule it is called with (RuleFn). A batch
// of new shapes becomes one module: many functions, one compilation. Compiled shapes are cached
// in-process by shape_key(), so a shape compiles once per compiler.
//
// Thread-safety: compile() may be called from several threads (they take turns); the returned
// functions may be called from any thread for as long as the compiler lives.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "dsl/codegen/jit_engine.h"
#include "dsl/codegen/runtime_helpers.h"

namespace fmn::codegen {

// What native code depends on: the shape and the kinds of its constants (`topic == ?0` with a
// string and with a number are different functions).
std::string shape_key(const dsl::CompiledRule& rule);

struct CompileStats {
  size_t shapes_compiled = 0;  // new shapes in this call (cache misses)
  double seconds = 0;          // lowering + optimisation + machine code, wall clock
};

class ShapeCompiler {
 public:
  static Result<std::unique_ptr<ShapeCompiler>> create(OptLevel level);
  ~ShapeCompiler();

  // The native function of each rule, in order. Uncached shapes are compiled together.
  Result<std::vector<RuleFn>> compile(const std::vector<const dsl::CompiledRule*>& rules,
                                      CompileStats* stats = nullptr);

  size_t cached_shapes() const;
  OptLevel opt_level() const;

 private:
  struct Impl;
  explicit ShapeCompiler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The module compile() would build for `rules` (one function per distinct shape), after the
// optimisation passes of `level`: as LLVM IR text (fmn-rulec dump-ir), or as the host's
// assembly (fmn-rulec dump-asm).
std::string module_ir(const std::vector<const dsl::CompiledRule*>& rules, OptLevel level);
Result<std::string> module_asm(const std::vector<const dsl::CompiledRule*>& rules, OptLevel level);

}  // namespace fmn::codegen
