// JitEngine: compiles LLVM IR modules to native code in this process (LLVM ORC LLJIT) and hands
// out the addresses of their functions.
//
// Runtime helpers (plain C++ functions the generated code calls) are registered once at
// creation. Modules are built by the lowering code (dsl/codegen/, internal IrModule) and added
// whole; their functions live as long as the engine. LLVM types never appear in this header.
//
// Thread-safety: add_module() and lookup() may be called from several threads (they take turns:
// code is compiled on lookup); compiled functions may be called from any thread at any time,
// including while other modules compile.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fmn::codegen {

enum class OptLevel { kO0, kO1, kO2 };

struct RuntimeSymbol {
  std::string name;
  const void* address;
};

struct JitOptions {
  OptLevel opt_level = OptLevel::kO1;
  std::vector<RuntimeSymbol> runtime;  // helpers callable from generated code, by name
};

struct IrModule;  // defined in dsl/codegen/ir_module.h (internal: holds LLVM types)

class JitEngine {
 public:
  static Result<std::unique_ptr<JitEngine>> create(JitOptions options);
  ~JitEngine();
  JitEngine(const JitEngine&) = delete;
  JitEngine& operator=(const JitEngine&) = delete;

  // Optimises (per the engine's OptLevel) and compiles `module`; its functions become visible
  // to lookup(). Names must be unique across the engine's modules.
  Result<bool> add_module(std::unique_ptr<IrModule> module);

  // The address of compiled function `name`, or kNotFound.
  Result<void*> lookup(std::string_view name);

  OptLevel opt_level() const;

 private:
  struct Impl;
  explicit JitEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Initialises LLVM's native target once per process (idempotent, thread-safe).
void initialize_native_target();

}  // namespace fmn::codegen
