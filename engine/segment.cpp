#include "engine/segment.h"

namespace fmn::engine {

void Segment::Builder::add(const UserRules& user) {
  user_rules_.clear();
  for (const RuleSpec& spec : user.rules) {
    auto [it, inserted] = interned_.try_emplace(spec.rule.get(), nullptr);
    if (inserted) it->second = table_.intern(spec.rule);
    user_rules_.push_back(it->second);
  }
  const uint32_t slot = users_.add(user, user_rules_);
  const dsl::ParamsView params = user.params;
  for (size_t r = 0; r < user.rules.size(); ++r) {
    auto id = static_cast<uint32_t>(records_.size());
    records_.push_back(Record{user_rules_[r], slot, static_cast<uint16_t>(r)});
    auto keys = rule_keys(*user.rules[r].rule, params);
    if (!keys) {
      index_.add_always(id);
      continue;
    }
    for (const IndexKey& key : *keys) index_.add(key, id);
  }
}

std::shared_ptr<const Segment> Segment::Builder::build() && {
  auto segment = std::make_shared<Segment>();
  segment->users_ = std::move(users_).build();
  records_.shrink_to_fit();
  segment->records_ = std::move(records_);
  segment->index_ = std::move(index_).build();
  return segment;
}

std::shared_ptr<const Segment> Segment::build(std::span<const UserRules> users, RuleTable& table) {
  Builder builder(table);
  for (const UserRules& u : users) builder.add(u);
  return std::move(builder).build();
}

size_t Segment::bytes() const { return records_.capacity() * sizeof(Record) + index_.bytes(); }

}  // namespace fmn::engine
