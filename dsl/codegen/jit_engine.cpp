#include "dsl/codegen/jit_engine.h"

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/TargetSelect.h>

#include <mutex>

#include "dsl/codegen/ir_module.h"

namespace fmn::codegen {
namespace {

Error llvm_error(llvm::Error err, std::string_view what) {
  return Error{ErrorCode::kInvalidConfig,
               std::string(what) + ": " + llvm::toString(std::move(err))};
}

llvm::CodeGenOpt::Level codegen_level(OptLevel level) {
  switch (level) {
    case OptLevel::kO0:
      return llvm::CodeGenOpt::None;
    case OptLevel::kO1:
      return llvm::CodeGenOpt::Less;
    case OptLevel::kO2:
      return llvm::CodeGenOpt::Default;
  }
  return llvm::CodeGenOpt::Less;
}

}  // namespace

void initialize_native_target() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

struct JitEngine::Impl {
  // LLJIT compiles lazily, on lookup, with one TargetMachine that is not thread-safe: adding
  // and looking up are serialised. Calling compiled code needs no lock.
  std::mutex mu;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  OptLevel level;
};

JitEngine::JitEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JitEngine::~JitEngine() = default;

Result<std::unique_ptr<JitEngine>> JitEngine::create(JitOptions options) {
  initialize_native_target();
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return llvm_error(jtmb.takeError(), "detecting the host target");
  jtmb->setCodeGenOptLevel(codegen_level(options.opt_level));
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  if (!jit) return llvm_error(jit.takeError(), "creating the JIT");

  OptLevel level = options.opt_level;
  (*jit)->getIRTransformLayer().setTransform(
      [level](llvm::orc::ThreadSafeModule tsm, const llvm::orc::MaterializationResponsibility&)
          -> llvm::Expected<llvm::orc::ThreadSafeModule> {
        tsm.withModuleDo([level](llvm::Module& m) { optimize_module(m, level); });
        return tsm;
      });

  llvm::orc::SymbolMap symbols;
  auto& jd = (*jit)->getMainJITDylib();
  for (const RuntimeSymbol& s : options.runtime) {
    symbols[(*jit)->mangleAndIntern(s.name)] = llvm::JITEvaluatedSymbol(
        llvm::pointerToJITTargetAddress(s.address), llvm::JITSymbolFlags::Exported);
  }
  if (auto err = jd.define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
    return llvm_error(std::move(err), "registering runtime helpers");
  }
  auto impl = std::make_unique<Impl>();
  impl->jit = std::move(*jit);
  impl->level = level;
  return std::unique_ptr<JitEngine>(new JitEngine(std::move(impl)));
}

Result<bool> JitEngine::add_module(std::unique_ptr<IrModule> module) {
  llvm::orc::ThreadSafeModule tsm(std::move(module->module), std::move(module->context));
  std::lock_guard lock(impl_->mu);
  if (auto err = impl_->jit->addIRModule(std::move(tsm))) {
    return llvm_error(std::move(err), "adding a module");
  }
  return true;
}

Result<void*> JitEngine::lookup(std::string_view name) {
  std::lock_guard lock(impl_->mu);
  auto sym = impl_->jit->lookup(llvm::StringRef(name.data(), name.size()));
  if (!sym) {
    Error e = llvm_error(sym.takeError(), "looking up " + std::string(name));
    e.code = ErrorCode::kNotFound;
    return e;
  }
  return reinterpret_cast<void*>(static_cast<uintptr_t>(sym->getAddress()));
}

OptLevel JitEngine::opt_level() const { return impl_->level; }

}  // namespace fmn::codegen
