#include "engine/segment.h"

#include <unordered_map>

namespace fmn::engine {

std::shared_ptr<const Segment> Segment::build(std::vector<UserRulesPtr> users, RuleTable& table) {
  auto segment = std::make_shared<Segment>();
  segment->users_ = std::move(users);
  // Most users share their CompiledRule objects: intern each object once.
  std::unordered_map<const dsl::CompiledRule*, const InternedRule*> interned;
  PostingIndex::Builder builder;
  size_t count = 0;
  for (const UserRulesPtr& u : segment->users_) count += u->rules.size();
  segment->records_.reserve(count);
  for (uint32_t slot = 0; slot < segment->users_.size(); ++slot) {
    const UserRules& user = *segment->users_[slot];
    for (size_t r = 0; r < user.rules.size(); ++r) {
      const auto& rule = user.rules[r].rule;
      auto [it, inserted] = interned.try_emplace(rule.get(), nullptr);
      if (inserted) it->second = table.intern(rule);
      auto id = static_cast<uint32_t>(segment->records_.size());
      segment->records_.push_back(Record{it->second, slot, static_cast<uint16_t>(r)});
      auto keys = rule_keys(*rule, user.params);
      if (!keys) {
        builder.add_always(id);
        continue;
      }
      for (const IndexKey& key : *keys) builder.add(key, id);
    }
  }
  segment->index_ = std::move(builder).build();
  return segment;
}

size_t Segment::bytes() const {
  return records_.capacity() * sizeof(Record) + users_.capacity() * sizeof(UserRulesPtr) +
         index_.bytes();
}

size_t Segment::param_bytes() const {
  auto string_bytes = [](const std::string& s) {
    return sizeof(std::string) + (s.capacity() > 15 ? s.capacity() + 1 : 0);
  };
  size_t total = 0;
  for (const UserRulesPtr& u : users_) {
    total += sizeof(UserRules) + 16 + string_bytes(u->name) - sizeof(std::string);
    for (const auto* list :
         {&u->params.my_packages, &u->params.my_groups, &u->params.my_group_packages,
          &u->params.followed_packages, &u->params.followed_users}) {
      total += list->heap_bytes();  // the texts are in the shared pool (bench: pool_bytes)
    }
    total += u->rules.capacity() * sizeof(RuleSpec);
    for (const DestinationSpec& d : u->destinations) total += sizeof(d) + d.address.size();
  }
  return total;
}

}  // namespace fmn::engine
