#include "dsl/codegen/shape_compiler.h"

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "dsl/codegen/ir_module.h"
#include "dsl/codegen/lowering.h"

namespace fmn::codegen {

std::string shape_key(const dsl::CompiledRule& rule) {
  std::string key = rule.shape;
  key += '\x1f';
  for (const dsl::Constant& c : rule.constants) key += static_cast<char>('0' + int(c.kind));
  return key;
}

struct ShapeCompiler::Impl {
  std::unique_ptr<JitEngine> jit;
  std::mutex mu;  // guards cache and next_id; serialises compilation
  std::unordered_map<std::string, RuleFn> cache;
  uint64_t next_id = 0;
};

ShapeCompiler::ShapeCompiler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ShapeCompiler::~ShapeCompiler() = default;

Result<std::unique_ptr<ShapeCompiler>> ShapeCompiler::create(OptLevel level) {
  auto jit = JitEngine::create(JitOptions{level, runtime_symbols()});
  if (!jit) return jit.error();
  auto impl = std::make_unique<Impl>();
  impl->jit = std::move(jit).value();
  return std::unique_ptr<ShapeCompiler>(new ShapeCompiler(std::move(impl)));
}

Result<std::vector<RuleFn>> ShapeCompiler::compile(
    const std::vector<const dsl::CompiledRule*>& rules, CompileStats* stats) {
  auto start = std::chrono::steady_clock::now();
  std::lock_guard lock(impl_->mu);
  std::vector<std::string> keys;
  keys.reserve(rules.size());
  // New shapes: key -> function name, lowered into one module.
  std::unordered_map<std::string, std::string> pending;
  std::unique_ptr<IrModule> module;
  for (const dsl::CompiledRule* rule : rules) {
    keys.push_back(shape_key(*rule));
    const std::string& key = keys.back();
    if (impl_->cache.count(key) || pending.count(key)) continue;
    if (!module)
      module = std::make_unique<IrModule>("fmn_shapes_" + std::to_string(impl_->next_id));
    std::string name = "fmn_shape_" + std::to_string(impl_->next_id++);
    lower_rule(*module->module, *rule, name);
    pending.emplace(key, std::move(name));
  }
  if (module) {
    auto added = impl_->jit->add_module(std::move(module));
    if (!added) return added.error();
    for (auto& [key, name] : pending) {
      auto address = impl_->jit->lookup(name);
      if (!address) return address.error();
      impl_->cache.emplace(key, reinterpret_cast<RuleFn>(address.value()));
    }
  }
  std::vector<RuleFn> out;
  out.reserve(rules.size());
  for (const std::string& key : keys) out.push_back(impl_->cache.at(key));
  if (stats) {
    stats->shapes_compiled = pending.size();
    stats->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return out;
}

size_t ShapeCompiler::cached_shapes() const {
  std::lock_guard lock(impl_->mu);
  return impl_->cache.size();
}

OptLevel ShapeCompiler::opt_level() const { return impl_->jit->opt_level(); }

}  // namespace fmn::codegen
