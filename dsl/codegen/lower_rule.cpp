// A rule's and/or/not tree as control flow.
#include <llvm/IR/IRBuilder.h>

#include "dsl/codegen/lowering.h"

namespace fmn::codegen {
namespace {

class RuleLowering {
 public:
  RuleLowering(llvm::Module& module, const dsl::CompiledRule& rule, llvm::Function* fn)
      : module_(module), rule_(rule), fn_(fn), builder_(module.getContext()) {}

  void emit() {
    llvm::LLVMContext& ctx = module_.getContext();
    auto* entry = llvm::BasicBlock::Create(ctx, "entry", fn_);
    auto* yes = llvm::BasicBlock::Create(ctx, "match", fn_);
    auto* no = llvm::BasicBlock::Create(ctx, "no_match", fn_);
    builder_.SetInsertPoint(yes);
    builder_.CreateRet(builder_.getInt8(1));
    builder_.SetInsertPoint(no);
    builder_.CreateRet(builder_.getInt8(0));
    builder_.SetInsertPoint(entry);
    node(0, yes, no);
  }

 private:
  // Emits node `i` at the insertion point, ending in a branch to `on_true` or `on_false`.
  void node(size_t i, llvm::BasicBlock* on_true, llvm::BasicBlock* on_false) {
    const dsl::Node& n = rule_.nodes[i];
    switch (n.kind) {
      case dsl::NodeKind::kTrue:
        builder_.CreateBr(on_true);
        return;
      case dsl::NodeKind::kFalse:
        builder_.CreateBr(on_false);
        return;
      case dsl::NodeKind::kNot:
        node(i + 1, on_false, on_true);
        return;
      case dsl::NodeKind::kAnd:
      case dsl::NodeKind::kOr: {
        bool is_and = n.kind == dsl::NodeKind::kAnd;
        size_t end = i + n.size;
        for (size_t j = i + 1; j < end; j += rule_.nodes[j].size) {
          if (j + rule_.nodes[j].size >= end) {
            node(j, on_true, on_false);  // the last child decides
            return;
          }
          auto* next = llvm::BasicBlock::Create(module_.getContext(), "next", fn_);
          if (is_and) {
            node(j, next, on_false);
          } else {
            node(j, on_true, next);
          }
          builder_.SetInsertPoint(next);
        }
        builder_.CreateBr(is_and ? on_true : on_false);  // no children
        return;
      }
      case dsl::NodeKind::kAtom: {
        llvm::Value* result = call(choose_helper(rule_, n.atom));
        builder_.CreateCondBr(builder_.CreateICmpNE(result, builder_.getInt8(0)), on_true,
                              on_false);
        return;
      }
    }
  }

  llvm::Value* call(const HelperCall& c) {
    auto* i8 = builder_.getInt8Ty();
    auto* ptr = builder_.getInt8PtrTy();
    auto* i32 = builder_.getInt32Ty();
    auto* type = llvm::FunctionType::get(i8, {ptr, ptr, ptr, i32, i32}, false);
    llvm::FunctionCallee helper = module_.getOrInsertFunction(helper_name(c.helper), type);
    return builder_.CreateCall(helper, {fn_->getArg(0), fn_->getArg(1), fn_->getArg(2),
                                        builder_.getInt32(c.a), builder_.getInt32(c.b)});
  }

  llvm::Module& module_;
  const dsl::CompiledRule& rule_;
  llvm::Function* fn_;
  llvm::IRBuilder<> builder_;
};

}  // namespace

llvm::Function* lower_rule(llvm::Module& module, const dsl::CompiledRule& rule,
                           const std::string& name) {
  auto* ptr = llvm::Type::getInt8PtrTy(module.getContext());
  auto* type =
      llvm::FunctionType::get(llvm::Type::getInt8Ty(module.getContext()), {ptr, ptr, ptr}, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  RuleLowering(module, rule, fn).emit();
  return fn;
}

}  // namespace fmn::codegen
