// fmn-rulec dump-ir / dump-asm print what the shape compiler builds. Their text is checked the
// way a reader would use it, never by searching it: the IR parses, verifies, and once compiled
// behaves like the interpreter; the assembly assembles into an object that defines one
// function per shape and calls the runtime helpers.
#include <gtest/gtest.h>
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/SourceMgr.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "dsl/codegen/ir_module.h"
#include "dsl/codegen/shape_compiler.h"
#include "dsl/interpreter.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::codegen {
namespace {

using testing_support::compile_one;
using testing_support::corpus_messages;

// Two rules of one shape (they differ only in their constants).
struct TwoRulesOneShape {
  std::shared_ptr<const dsl::CompiledRule> a =
      compile_one("rule \"a\" = topic ~ \"*.bodhi.*\" and not $me in usernames\n");
  std::shared_ptr<const dsl::CompiledRule> b =
      compile_one("rule \"b\" = topic ~ \"*.git.*\" and not $me in usernames\n");
  std::vector<const dsl::CompiledRule*> both() const { return {a.get(), b.get()}; }
};

std::vector<std::string> defined_functions(const llvm::Module& m) {
  std::vector<std::string> out;
  for (const llvm::Function& f : m) {
    if (!f.isDeclaration()) out.push_back(f.getName().str());
  }
  return out;
}

class DumpIrAtLevel : public testing::TestWithParam<OptLevel> {};

TEST_P(DumpIrAtLevel, ParsesVerifiesAndBehavesLikeTheInterpreter) {
  TwoRulesOneShape rules;
  ASSERT_TRUE(rules.a && rules.b);
  const std::string text = module_ir(rules.both(), GetParam());

  auto parsed = std::make_unique<IrModule>("dumped");
  llvm::SMDiagnostic diagnostic;
  parsed->module = llvm::parseAssemblyString(text, diagnostic, *parsed->context);
  ASSERT_NE(parsed->module, nullptr) << diagnostic.getMessage().str();
  std::string problems;
  llvm::raw_string_ostream problems_out(problems);
  ASSERT_FALSE(llvm::verifyModule(*parsed->module, &problems_out)) << problems;
  EXPECT_EQ(defined_functions(*parsed->module), std::vector<std::string>{"fmn_shape_0"});

  auto jit = JitEngine::create(JitOptions{GetParam(), runtime_symbols()});
  ASSERT_TRUE(jit.ok()) << jit.error().message;
  ASSERT_TRUE((*jit)->add_module(std::move(parsed)).ok());
  auto address = (*jit)->lookup("fmn_shape_0");
  ASSERT_TRUE(address.ok()) << address.error().message;
  auto fn = reinterpret_cast<RuleFn>(address.value());
  dsl::UserParams params;
  params.me = "bowlofeggs";
  const dsl::ParamsView view = params;
  size_t matches = 0;
  for (const auto& m : corpus_messages()) {
    for (const dsl::CompiledRule* rule : rules.both()) {
      const bool expected = dsl::evaluate(*rule, *m, params);
      ASSERT_EQ(fn(m.get(), &view, rule), expected) << rule->canonical << "\n on " << m->topic;
      matches += expected;
    }
  }
  EXPECT_GT(matches, 0u);
}

INSTANTIATE_TEST_SUITE_P(Levels, DumpIrAtLevel,
                         testing::Values(OptLevel::kO0, OptLevel::kO1, OptLevel::kO2));

struct Symbols {
  std::set<std::string> defined, undefined;
};

// Assembles `text` with the system assembler and reads the object's symbol table.
Symbols assemble(const std::string& text) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("fmn-dump-asm-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto source = dir / "module.s", object = dir / "module.o";
  std::ofstream(source) << text;
  const std::string command = "as -o '" + object.string() + "' '" + source.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  Symbols out;
  auto file = llvm::object::ObjectFile::createObjectFile(object.string());
  if (!file) {
    ADD_FAILURE() << llvm::toString(file.takeError());
  } else {
    for (const llvm::object::SymbolRef& symbol : file->getBinary()->symbols()) {
      auto name = symbol.getName();
      auto flags = symbol.getFlags();
      if (!name || !flags || name->empty()) {
        if (!name) llvm::consumeError(name.takeError());
        if (!flags) llvm::consumeError(flags.takeError());
        continue;
      }
      auto& into = (*flags & llvm::object::SymbolRef::SF_Undefined) ? out.undefined : out.defined;
      into.insert(name->str());
    }
  }
  std::filesystem::remove_all(dir);
  return out;
}

TEST(DumpAsm, AssemblesIntoOneFunctionPerShapeThatCallsTheRuntime) {
  TwoRulesOneShape rules;
  ASSERT_TRUE(rules.a && rules.b);
  auto text = module_asm(rules.both(), OptLevel::kO1);
  ASSERT_TRUE(text.ok()) << text.error().message;
  Symbols symbols = assemble(text.value());
  EXPECT_TRUE(symbols.defined.contains("fmn_shape_0"));
  EXPECT_FALSE(symbols.defined.contains("fmn_shape_1"));
  EXPECT_TRUE(symbols.undefined.contains("fmn_rt_topic_glob"));
}

}  // namespace
}  // namespace fmn::codegen
