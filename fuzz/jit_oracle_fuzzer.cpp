// libFuzzer target: differential testing of native rule code against the reference
// interpreter. Arbitrary bytes are compiled as a rule file; every rule that compiles is also
// compiled to native code (LLVM ORC, -O1) and both must give the same answer on corpus
// messages for several users. A disagreement aborts with the rule, the message and the user.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "dsl/codegen/shape_compiler.h"
#include "dsl/compile.h"
#include "dsl/interpreter.h"
#include "fuzz/corpus_messages.h"

namespace {

// Compiled shapes live as long as their compiler: start a fresh one now and then, so a long
// run's memory stays bounded.
constexpr size_t kMaxCachedShapes = 4000;

fmn::codegen::ShapeCompiler& compiler() {
  static std::unique_ptr<fmn::codegen::ShapeCompiler> instance;
  if (!instance || instance->cached_shapes() > kMaxCachedShapes) {
    instance.reset();
    auto created = fmn::codegen::ShapeCompiler::create(fmn::codegen::OptLevel::kO1);
    if (!created) {
      std::fprintf(stderr, "jit_oracle_fuzzer: %s\n", created.error().message.c_str());
      std::abort();
    }
    instance = std::move(created).value();
  }
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fmn::dsl;
  SourceFile file("fuzz.fmn", std::string(reinterpret_cast<const char*>(data), size));
  Diagnostics diags;
  auto rules = compile(file, diags);
  if (!rules || rules->rules.empty()) return 0;
  std::vector<const CompiledRule*> pointers;
  for (const CompiledRule& r : rules->rules) pointers.push_back(&r);
  auto fns = compiler().compile(pointers);
  if (!fns) {
    std::fprintf(stderr, "jit_oracle_fuzzer: a checked rule does not compile natively: %s\n",
                 fns.error().message.c_str());
    std::abort();
  }
  for (size_t r = 0; r < pointers.size(); ++r) {
    for (const auto& m : fmn::fuzz::corpus_sample()) {
      for (const UserParams& user : fmn::fuzz::sample_users()) {
        bool expected = evaluate(*pointers[r], *m, user);
        const fmn::dsl::ParamsView view = user;
        bool got = fns.value()[r](m.get(), &view, pointers[r]);
        if (got == expected) continue;
        std::fprintf(stderr,
                     "jit_oracle_fuzzer: native %d, interpreter %d\n rule: %s\n topic: %.*s\n"
                     " $me: %s\n",
                     got, expected, pointers[r]->canonical.c_str(),
                     static_cast<int>(m->topic.size()), m->topic.data(), user.me.c_str());
        std::abort();
      }
    }
  }
  return 0;
}
