// RuleTable: the distinct rules of an engine, interned by canonical text, each with its tier.
//
// A million users running the default rules share three InternedRules. Each is split into a
// guard and a residual (rule_split.h). The residual starts interpreted and gains native code when
// its shape is compiled (tiering): the function pointer is
// published with one atomic store, so matching threads switch over without a lock or a new
// generation. Entries live as long as the table (generations hold it by shared_ptr).
// Thread-safety: intern() and take_uncompiled() lock; InternedRule::evaluate() never does.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/message.h"
#include "dsl/codegen/runtime_helpers.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"

namespace fmn::engine {

class InternedRule {
 public:
  InternedRule(std::shared_ptr<const dsl::CompiledRule> rule, uint32_t id);

  const dsl::CompiledRule& rule() const { return *rule_; }
  const std::shared_ptr<const dsl::CompiledRule>& shared_rule() const { return rule_; }
  uint32_t id() const { return id_; }  // dense, from 0: index of per-message memos
  // The part evaluated per user (rule_split.h); nullptr when the rule reads no parameter.
  const dsl::CompiledRule* residual_rule() const { return residual_.get(); }
  bool has_guard() const { return guard_ != nullptr; }
  // Whether a record the index collected satisfies the residual without evaluating it: the
  // residual is a membership test the index keys already checked (index_keys.h, keys_prove),
  // and no part of the guard could have been chosen as the keys instead.
  bool residual_proven_by_keys() const { return residual_proven_; }
  // Whether the residual reads a list parameter or a named list (else only `$me`, or nothing).
  bool residual_reads_lists() const { return residual_reads_lists_; }
  // Whether matching a record the index collected reads its user's parameters.
  bool reads_user() const { return residual_ && !residual_proven_; }
  bool is_native() const { return native_.load(std::memory_order_acquire) != nullptr; }
  void set_native(codegen::RuleFn fn) { native_.store(fn, std::memory_order_release); }

  // The user-independent part: the same for every user, so callers memoise it per message.
  bool guard(const Message& m) const;
  // The per-user part, by native code when allowed and compiled, else the interpreter.
  bool residual(const Message& m, const dsl::ParamsView& p, bool allow_native) const {
    if (!residual_) return true;
    if (allow_native) {
      if (codegen::RuleFn fn = native_.load(std::memory_order_acquire)) {
        return fn(&m, &p, residual_.get());
      }
    }
    return dsl::evaluate(*residual_, m, p);
  }
  // The whole rule: guard and residual.
  bool evaluate(const Message& m, const dsl::ParamsView& p, bool allow_native) const {
    return (!guard_ || guard(m)) && residual(m, p, allow_native);
  }

 private:
  std::shared_ptr<const dsl::CompiledRule> rule_, guard_, residual_;
  uint32_t id_;
  bool residual_proven_ = false;
  bool residual_reads_lists_ = false;
  std::atomic<codegen::RuleFn> native_{nullptr};  // residual_'s
};

class RuleTable {
 public:
  // The entry for `rule`'s canonical text, created (interpreted, queued for compilation) if new.
  const InternedRule* intern(const std::shared_ptr<const dsl::CompiledRule>& rule);

  // Entries created since the last call that have a residual to compile.
  std::vector<InternedRule*> take_uncompiled();

  size_t size() const;
  size_t bytes() const;  // the rules' own memory, estimated

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<InternedRule>> by_canonical_;
  uint32_t next_id_ = 0;
  std::vector<InternedRule*> uncompiled_;
};

}  // namespace fmn::engine
