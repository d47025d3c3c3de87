#include "engine/rule_table.h"

#include "engine/index_keys.h"
#include "engine/rule_split.h"

namespace fmn::engine {
namespace {

const dsl::ParamsView kNoParams;  // what a guard is given: it reads none

}  // namespace

InternedRule::InternedRule(std::shared_ptr<const dsl::CompiledRule> rule, uint32_t id)
    : rule_(std::move(rule)), id_(id) {
  SplitRule split = split_rule(rule_);
  guard_ = std::move(split.guard);
  residual_ = std::move(split.residual);
  residual_proven_ =
      residual_ && keys_prove(*residual_) && (!guard_ || !rule_keys(*guard_, kNoParams));
  residual_reads_lists_ = residual_ && reads_params(*residual_, 0, true);
}

bool InternedRule::guard(const Message& m) const { return dsl::evaluate(*guard_, m, kNoParams); }

const InternedRule* RuleTable::intern(const std::shared_ptr<const dsl::CompiledRule>& rule) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = by_canonical_.try_emplace(rule->canonical);
  if (inserted) {
    it->second = std::make_unique<InternedRule>(rule, next_id_++);
    if (it->second->residual_rule()) uncompiled_.push_back(it->second.get());
  }
  return it->second.get();
}

std::vector<InternedRule*> RuleTable::take_uncompiled() {
  std::lock_guard lock(mu_);
  return std::exchange(uncompiled_, {});
}

size_t RuleTable::size() const {
  std::lock_guard lock(mu_);
  return by_canonical_.size();
}

size_t RuleTable::bytes() const {
  std::lock_guard lock(mu_);
  size_t total = 0;
  for (const auto& [canonical, entry] : by_canonical_) {
    const dsl::CompiledRule& r = entry->rule();
    total += sizeof(InternedRule) + sizeof(dsl::CompiledRule) + 64 + 2 * canonical.size() +
             r.shape.size() + r.nodes.size() * sizeof(dsl::Node) +
             r.atoms.size() * sizeof(dsl::Atom) + r.constants.size() * sizeof(dsl::Constant);
    for (const std::string& l : r.lists) total += sizeof(std::string) + l.size();
    for (const dsl::Constant& c : r.constants) {
      for (const std::string& s : c.list.strings) total += sizeof(std::string) + s.size();
      total += c.globs.size() * (sizeof(dsl::Glob) + 32);
    }
  }
  return total;
}

}  // namespace fmn::engine
