#include "engine/rule_engine.h"

#include <algorithm>

#include "core/thread_name.h"
#include "dsl/codegen/shape_compiler.h"

namespace fmn::engine {
namespace {

// Each base user's id and slot, by id.
std::vector<std::pair<UserId, uint32_t>> slots_of(const Segment& base) {
  std::vector<std::pair<UserId, uint32_t>> slots;
  slots.reserve(base.users().size());
  for (size_t i = 0; i < base.users().size(); ++i) {
    const uint32_t slot = base.users().slot_at(i);
    slots.emplace_back(base.users().id(slot), slot);
  }
  std::sort(slots.begin(), slots.end());
  return slots;
}

}  // namespace

bool parse_engine_mode(std::string_view text, EngineMode& mode) {
  if (text == "interp")
    mode = EngineMode::kInterp;
  else if (text == "jit")
    mode = EngineMode::kJit;
  else if (text == "auto")
    mode = EngineMode::kAuto;
  else
    return false;
  return true;
}

RuleEngine::RuleEngine(EngineOptions options) : options_(options) {}

Result<std::unique_ptr<RuleEngine>> RuleEngine::create(EngineOptions options) {
  std::unique_ptr<RuleEngine> engine(new RuleEngine(options));
  if (options.mode != EngineMode::kInterp) {
    auto compiler = codegen::ShapeCompiler::create(options.opt_level);
    if (!compiler) return compiler.error();
    engine->compiler_ = std::move(compiler).value();
  }
  engine->base_ = Segment::build({}, *engine->table_);
  std::lock_guard lock(engine->mu_);
  engine->publish_locked();
  if (options.mode == EngineMode::kAuto) {
    engine->compiler_thread_ = std::thread([e = engine.get()] { e->compile_loop(); });
    name_thread(engine->compiler_thread_, "rule-compiler");
  }
  return engine;
}

RuleEngine::~RuleEngine() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (compiler_thread_.joinable()) compiler_thread_.join();
  if (compactor_.joinable()) compactor_.join();
}

void RuleEngine::publish_locked() {
  Segment::Builder delta_users(*table_);
  std::vector<uint32_t> dead;
  for (const auto& [id, d] : delta_) {
    if (d.user) delta_users.add(*d.user);
    auto slot = std::lower_bound(base_slot_.begin(), base_slot_.end(), std::pair{id, 0u});
    if (slot != base_slot_.end() && slot->first == id) dead.push_back(slot->second);
  }
  std::sort(dead.begin(), dead.end());
  auto delta = std::move(delta_users).build();
  if (options_.mode == EngineMode::kJit) add_stats_locked(compile(table_->take_uncompiled()));
  current_.store(
      std::make_shared<const Generation>(table_, base_, std::move(delta), std::move(dead),
                                         options_.mode != EngineMode::kInterp, ++serial_));
  ++stats_.generations;
  changed_.notify_all();
}

void RuleEngine::replace_all(std::vector<UserRules> users) {
  auto base = Segment::build(users, *table_);
  users = {};  // the segment holds its own packed copy
  auto slots = slots_of(*base);
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return !compacting_; });  // its result would be stale
  if (compactor_.joinable()) compactor_.join();
  base_ = std::move(base);
  base_slot_ = std::move(slots);
  delta_.clear();
  publish_locked();
}

void RuleEngine::update(std::vector<UserRules> upserts, const std::vector<UserId>& removals) {
  std::lock_guard lock(mu_);
  for (UserRules& u : upserts) {
    UserId id = u.id;
    delta_[id] = Delta{std::make_shared<const UserRules>(std::move(u)), ++seq_};
  }
  for (UserId id : removals) delta_[id] = Delta{nullptr, ++seq_};
  publish_locked();
  if (delta_.size() >= options_.compact_after && !compacting_) {
    compacting_ = true;
    if (compactor_.joinable()) compactor_.join();
    compactor_ = std::thread([this, base = base_, delta = delta_, seq = seq_]() mutable {
      compact(std::move(base), std::move(delta), seq);
    });
    name_thread(compactor_, "rule-compactor");
  }
}

void RuleEngine::compact(std::shared_ptr<const Segment> base, std::map<UserId, Delta> delta,
                         uint64_t seq) {
  Segment::Builder users(*table_);
  const PackedUsers& packed = base->users();
  for (size_t i = 0; i < packed.size(); ++i) {
    const uint32_t slot = packed.slot_at(i);
    if (!delta.count(packed.id(slot))) users.add(packed.unpack(slot));
  }
  for (const auto& [id, d] : delta) {
    if (d.user) users.add(*d.user);
  }
  auto merged = std::move(users).build();
  auto slots = slots_of(*merged);
  std::lock_guard lock(mu_);
  if (base_ == base) {  // not replaced meanwhile
    base_ = std::move(merged);
    base_slot_ = std::move(slots);
    // Edits made while compacting stay in the delta.
    std::erase_if(delta_, [&](const auto& entry) { return entry.second.seq <= seq; });
    ++stats_.compactions;
    publish_locked();
  }
  compacting_ = false;
  changed_.notify_all();
}

codegen::CompileStats RuleEngine::compile(const std::vector<InternedRule*>& pending) {
  codegen::CompileStats cs;
  if (pending.empty() || !compiler_) return cs;
  std::vector<const dsl::CompiledRule*> rules;
  for (InternedRule* r : pending) rules.push_back(r->residual_rule());
  auto fns = compiler_->compile(rules, &cs);
  if (!fns) return cs;  // these rules stay interpreted: same answers, slower
  for (size_t i = 0; i < pending.size(); ++i) pending[i]->set_native(fns.value()[i]);
  return cs;
}

void RuleEngine::add_stats_locked(const codegen::CompileStats& cs) {
  stats_.shapes_compiled += cs.shapes_compiled;
  stats_.compile_seconds += cs.seconds;
}

void RuleEngine::compile_loop() {
  std::unique_lock lock(mu_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || compiled_serial_ != serial_; });
    if (stopping_) return;
    uint64_t serial = serial_;
    std::vector<InternedRule*> pending = table_->take_uncompiled();
    lock.unlock();
    codegen::CompileStats cs = compile(pending);
    lock.lock();
    add_stats_locked(cs);
    compiled_serial_ = serial;
    changed_.notify_all();
  }
}

void RuleEngine::wait_idle() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] {
    return (options_.mode != EngineMode::kAuto || compiled_serial_ == serial_) && !compacting_;
  });
}

EngineStats RuleEngine::stats() const {
  std::lock_guard lock(mu_);
  EngineStats s = stats_;
  s.rules_interned = table_->size();
  return s;
}

size_t RuleEngine::bookkeeping_bytes() const {
  std::lock_guard lock(mu_);
  constexpr size_t kMapNode = 80;  // a std::map node with a UserId, a Delta and the tree links
  return base_slot_.capacity() * sizeof(base_slot_[0]) + delta_.size() * kMapNode;
}

size_t RuleEngine::code_bytes() const {
  // Machine code plus the JIT's bookkeeping (symbol tables, relocations), estimated per shape.
  constexpr size_t kBytesPerShape = 2048;
  return stats().shapes_compiled * kBytesPerShape;
}

}  // namespace fmn::engine
