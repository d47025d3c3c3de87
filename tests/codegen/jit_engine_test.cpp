#include "dsl/codegen/jit_engine.h"

#include <gtest/gtest.h>
#include <llvm/IR/IRBuilder.h>

#include <thread>

#include "dsl/codegen/ir_module.h"

namespace fmn::codegen {
namespace {

extern "C" int64_t twice_for_test(int64_t x) { return 2 * x; }

// int64 <name>(int64 x) { return twice_for_test(x) + addend; }
std::unique_ptr<IrModule> make_module(const std::string& name, int64_t addend) {
  auto m = std::make_unique<IrModule>(name + "_module");
  llvm::LLVMContext& ctx = *m->context;
  auto* i64 = llvm::Type::getInt64Ty(ctx);
  auto* fn_type = llvm::FunctionType::get(i64, {i64}, false);
  auto helper = m->module->getOrInsertFunction("twice_for_test", fn_type);
  auto* fn = llvm::Function::Create(fn_type, llvm::Function::ExternalLinkage, name, *m->module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
  llvm::Value* doubled = b.CreateCall(helper, {fn->getArg(0)});
  b.CreateRet(b.CreateAdd(doubled, llvm::ConstantInt::get(i64, addend)));
  return m;
}

JitOptions options(OptLevel level) {
  return JitOptions{level, {{"twice_for_test", reinterpret_cast<const void*>(&twice_for_test)}}};
}

class JitEngineAtLevel : public testing::TestWithParam<OptLevel> {};

TEST_P(JitEngineAtLevel, CompiledCodeCallsRuntimeHelpers) {
  auto jit = JitEngine::create(options(GetParam()));
  ASSERT_TRUE(jit.ok()) << jit.error().message;
  ASSERT_TRUE((*jit)->add_module(make_module("f", 5)).ok());
  auto f = (*jit)->lookup("f");
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto fn = reinterpret_cast<int64_t (*)(int64_t)>(f.value());
  EXPECT_EQ(fn(10), 25);
  EXPECT_EQ(fn(-3), -1);
}

INSTANTIATE_TEST_SUITE_P(Levels, JitEngineAtLevel,
                         testing::Values(OptLevel::kO0, OptLevel::kO1, OptLevel::kO2));

TEST(JitEngine, UnknownFunctionIsNotFound) {
  auto jit = JitEngine::create(options(OptLevel::kO0));
  ASSERT_TRUE(jit.ok());
  auto f = (*jit)->lookup("nope");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::kNotFound);
}

TEST(JitEngine, ModulesCompileFromSeveralThreadsWhileCodeRuns) {
  auto jit = JitEngine::create(options(OptLevel::kO1));
  ASSERT_TRUE(jit.ok());
  ASSERT_TRUE((*jit)->add_module(make_module("base", 0)).ok());
  auto base = reinterpret_cast<int64_t (*)(int64_t)>((*jit)->lookup("base").value());
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        std::string name = "g" + std::to_string(t) + "_" + std::to_string(i);
        ASSERT_TRUE((*jit)->add_module(make_module(name, i)).ok());
        auto g = reinterpret_cast<int64_t (*)(int64_t)>((*jit)->lookup(name).value());
        EXPECT_EQ(g(1), 2 + i);
        EXPECT_EQ(base(i), 2 * i);
      }
    });
  }
  for (auto& th : threads) th.join();
}

}  // namespace
}  // namespace fmn::codegen
