// Internal to dsl/codegen/: a module being built (its own LLVMContext, so modules build and
// compile in parallel), and the optimisation pass pipeline applied before compiling.
#pragma once

#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <string>

#include "dsl/codegen/jit_engine.h"

namespace fmn::codegen {

struct IrModule {
  explicit IrModule(const std::string& name)
      : context(std::make_unique<llvm::LLVMContext>()),
        module(std::make_unique<llvm::Module>(name, *context)) {}
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
};

// Runs the module pass pipeline for `level` (O0: none) on `module`.
void optimize_module(llvm::Module& module, OptLevel level);

}  // namespace fmn::codegen
