#include <llvm/Passes/OptimizationLevel.h>
#include <llvm/Passes/PassBuilder.h>

#include "dsl/codegen/ir_module.h"

namespace fmn::codegen {

void optimize_module(llvm::Module& module, OptLevel level) {
  if (level == OptLevel::kO0) return;  // instruction selection alone: fastest to compile
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb;
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(
      level == OptLevel::kO1 ? llvm::OptimizationLevel::O1 : llvm::OptimizationLevel::O2);
  mpm.run(module, mam);
}

}  // namespace fmn::codegen
