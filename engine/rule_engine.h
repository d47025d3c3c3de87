// RuleEngine: owns the rule set, turns edits into new generations and publishes them.
//
// replace_all() builds a full generation; update() (one user or a few) builds only a new delta
// segment over the current base, so an edit is live in about a millisecond whatever the
// population. When the delta grows past `compact_after` users, a background thread folds it into
// a new base while edits and matching go on. Publication is one atomic store of a
// shared_ptr<const Generation>: readers (current()) never block and never see a half-built state;
// an old generation is freed when its last reader drops it.
//
// Tiers (`mode`): kInterp only interprets; kJit compiles every new shape before publishing;
// kAuto publishes at once (new rules interpreted) and compiles new shapes on a background
// thread, each rule switching to native code when its shape is ready.
//
// Thread-safety: current() from any thread; writers (replace_all, update) may be called from
// several threads (they are serialised).
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/result.h"
#include "dsl/codegen/shape_compiler.h"
#include "engine/generation.h"

namespace fmn::engine {

enum class EngineMode : uint8_t { kInterp, kJit, kAuto };
bool parse_engine_mode(std::string_view text, EngineMode& mode);

struct EngineOptions {
  EngineMode mode = EngineMode::kAuto;
  codegen::OptLevel opt_level = codegen::OptLevel::kO1;
  size_t compact_after = 4096;  // delta users that trigger a background compaction
};

struct EngineStats {
  uint64_t generations = 0;
  size_t rules_interned = 0;
  size_t shapes_compiled = 0;
  double compile_seconds = 0;  // total, all shapes
  uint64_t compactions = 0;
};

class RuleEngine {
 public:
  static Result<std::unique_ptr<RuleEngine>> create(EngineOptions options);
  ~RuleEngine();
  RuleEngine(const RuleEngine&) = delete;
  RuleEngine& operator=(const RuleEngine&) = delete;

  void replace_all(std::vector<UserRules> users);
  // Inserts or replaces `upserts` (by id) and removes `removals`.
  void update(std::vector<UserRules> upserts, const std::vector<UserId>& removals);

  std::shared_ptr<const Generation> current() const { return current_.load(); }

  // Blocks until every rule interned so far runs native code (kAuto), and any compaction
  // under way is published. For tests and benches.
  void wait_idle();

  EngineStats stats() const;
  // Native code held, estimated.
  size_t code_bytes() const;
  // What the writer keeps beside the generations: the base users' slots by id, the edits since
  // the base was built (estimated).
  size_t bookkeeping_bytes() const;

 private:
  struct Delta {
    UserRulesPtr user;  // nullptr: removed
    uint64_t seq = 0;
  };

  explicit RuleEngine(EngineOptions options);
  void publish_locked();
  // Gives `pending` native code (thread-safe: the compiler serialises itself).
  codegen::CompileStats compile(const std::vector<InternedRule*>& pending);
  void add_stats_locked(const codegen::CompileStats& cs);
  void compile_loop();
  void compact(std::shared_ptr<const Segment> base, std::map<UserId, Delta> delta, uint64_t seq);

  EngineOptions options_;
  std::shared_ptr<RuleTable> table_ = std::make_shared<RuleTable>();
  std::unique_ptr<codegen::ShapeCompiler> compiler_;
  std::atomic<std::shared_ptr<const Generation>> current_;

  mutable std::mutex mu_;  // everything below
  std::condition_variable changed_;
  std::shared_ptr<const Segment> base_;
  std::vector<std::pair<UserId, uint32_t>> base_slot_;  // base users' slots, by id
  std::map<UserId, Delta> delta_;
  uint64_t seq_ = 0;
  uint64_t serial_ = 0;
  bool compacting_ = false;
  uint64_t compiled_serial_ = 0;  // kAuto: rules of generations up to this one are compiled
  bool stopping_ = false;
  EngineStats stats_;
  std::thread compactor_;
  std::thread compiler_thread_;
};

}  // namespace fmn::engine
