// fmn-rulec dump-ir / dump-asm: the module the shape compiler would build, as text.
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/Host.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>

#include <unordered_set>

#include "dsl/codegen/ir_module.h"
#include "dsl/codegen/lowering.h"
#include "dsl/codegen/shape_compiler.h"

namespace fmn::codegen {
namespace {

std::unique_ptr<IrModule> build(const std::vector<const dsl::CompiledRule*>& rules,
                                OptLevel level) {
  auto m = std::make_unique<IrModule>("fmn_shapes");
  std::unordered_set<std::string> seen;
  for (const dsl::CompiledRule* rule : rules) {
    if (!seen.insert(shape_key(*rule)).second) continue;
    lower_rule(*m->module, *rule, "fmn_shape_" + std::to_string(seen.size() - 1));
  }
  optimize_module(*m->module, level);
  return m;
}

}  // namespace

std::string module_ir(const std::vector<const dsl::CompiledRule*>& rules, OptLevel level) {
  auto m = build(rules, level);
  std::string text;
  llvm::raw_string_ostream out(text);
  m->module->print(out, nullptr);
  return out.str();
}

Result<std::string> module_asm(const std::vector<const dsl::CompiledRule*>& rules, OptLevel level) {
  initialize_native_target();
  auto m = build(rules, level);
  std::string triple = llvm::sys::getProcessTriple();
  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) return Error{ErrorCode::kInvalidConfig, "no native target: " + error};
  auto level_cg = level == OptLevel::kO0   ? llvm::CodeGenOpt::None
                  : level == OptLevel::kO1 ? llvm::CodeGenOpt::Less
                                           : llvm::CodeGenOpt::Default;
  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple, llvm::sys::getHostCPUName(), "", llvm::TargetOptions(),
                                  llvm::None, llvm::None, level_cg));
  m->module->setDataLayout(tm->createDataLayout());
  m->module->setTargetTriple(triple);
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream out(buffer);
  llvm::legacy::PassManager passes;
  if (tm->addPassesToEmitFile(passes, out, nullptr, llvm::CGFT_AssemblyFile)) {
    return Error{ErrorCode::kInvalidConfig, "the native target cannot emit assembly"};
  }
  passes.run(*m->module);
  return std::string(buffer.begin(), buffer.end());
}

}  // namespace fmn::codegen
