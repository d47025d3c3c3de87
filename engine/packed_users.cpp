#include "engine/packed_users.h"

#include <algorithm>

#include "engine/rule_table.h"

namespace fmn::engine {
namespace {

// A user's bytes (text_ at its slot), after the fixed fields (packed_users.h):
//   name: length, bytes
//   $me: 0 if it is the name, else length + 1, bytes
//   destinations: the length of what follows up to the lists, count, then per destination its
//     kind (one byte), address length, bytes
//   5 list sizes, each (size << 3 | r): r = 0, its items are the user's next ones in items_;
//     r = i + 1, it is the same list as list i (an earlier one)
//   named lists: count, then (if any) the first one's index in user_lists_
// Numbers are LEB128 varints: one byte below 128.

void put_number(std::string& out, size_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>(n | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

void put_text(std::string& out, std::string_view s) {
  put_number(out, s.size());
  out.append(s);
}

void put_fixed(std::string& out, uint32_t v, size_t bytes) {
  char b[4];
  std::memcpy(b, &v, sizeof b);
  out.append(b, bytes);
}

}  // namespace

uint32_t PackedUsers::Builder::rule_name(std::string_view name) {
  if (auto it = names_.find(name); it != names_.end()) return it->second;
  const auto at = static_cast<uint32_t>(text_.size());
  put_text(text_, name);
  names_.emplace(name, at);
  return at;
}

uint32_t PackedUsers::Builder::add(const UserRules& user,
                                   std::span<const InternedRule* const> rules) {
  const auto slot = static_cast<uint32_t>(text_.size());
  slots_.push_back(slot);
  put_fixed(text_, user.id, 4);
  put_fixed(text_, static_cast<uint32_t>(items_.size()), 4);
  put_fixed(text_, static_cast<uint32_t>(rules_.size()), 4);
  put_fixed(text_, static_cast<uint32_t>(user.rules.size()), 2);
  put_text(text_, user.name);
  if (user.params.me == user.name) {
    put_number(text_, 0);
  } else {
    put_number(text_, user.params.me.size() + 1);
    text_.append(user.params.me);
  }
  destinations_.clear();
  put_number(destinations_, user.destinations.size());
  for (const DestinationSpec& d : user.destinations) {
    destinations_.push_back(static_cast<char>(d.kind));
    put_text(destinations_, d.address);
  }
  put_text(text_, destinations_);
  const dsl::ParamsView params = user.params;
  for (size_t i = 0; i < dsl::kListParamCount; ++i) {
    std::span<const dsl::InternedString> list = params.lists[i];
    size_t same = 0;  // 1 + the index of an earlier list with the same items
    for (size_t j = 0; j < i && !list.empty(); ++j) {
      if (std::equal(list.begin(), list.end(), params.lists[j].begin(), params.lists[j].end())) {
        same = j + 1;
        break;
      }
    }
    put_number(text_, list.size() << 3 | same);
    if (!same) items_.insert(items_.end(), list.begin(), list.end());
  }
  put_number(text_, user.params.lists.size());
  if (!user.params.lists.empty()) {
    put_number(text_, user_lists_.size());
    user_lists_.insert(user_lists_.end(), user.params.lists.begin(), user.params.lists.end());
  }
  for (size_t r = 0; r < user.rules.size(); ++r) {
    const RuleSpec& spec = user.rules[r];
    rules_.push_back(PackedRule{rules[r], spec.rule_id,
                                rule_name(spec.name.empty() ? spec.rule->name : spec.name),
                                spec.destinations, static_cast<uint32_t>(digests_.size())});
    digests_.insert(digests_.end(), spec.digests.begin(), spec.digests.end());
  }
  return slot;
}

PackedUsers PackedUsers::Builder::build() && {
  PackedUsers out;
  rules_.push_back(PackedRule{nullptr, 0, 0, 0, static_cast<uint32_t>(digests_.size())});
  slots_.shrink_to_fit();
  text_.shrink_to_fit();
  items_.shrink_to_fit();
  rules_.shrink_to_fit();
  digests_.shrink_to_fit();
  user_lists_.shrink_to_fit();
  out.slots_ = std::move(slots_);
  out.text_ = std::make_shared<const std::string>(std::move(text_));
  out.text_data_ = out.text_->data();
  out.items_ = std::move(items_);
  out.rules_ = std::move(rules_);
  out.digests_ = std::move(digests_);
  out.user_lists_ = std::move(user_lists_);
  // Each keeper its own count, each holding the text.
  const size_t keepers = (out.text_->size() >> kKeeperShift) + 1;
  out.keepers_.reserve(keepers);
  for (size_t i = 0; i < keepers; ++i) {
    out.keepers_.emplace_back(out.text_.get(), [text = out.text_](const void*) {});
  }
  return out;
}

void PackedUsers::read_lists(uint32_t slot, const char* p, dsl::ParamsView& params) const {
  p += get_number(p);  // the destinations
  const dsl::InternedString* next = items_.data() + fixed(slot, kItems);
  for (size_t i = 0; i < dsl::kListParamCount; ++i) {
    uint32_t n = get_number(p);
    if (uint32_t same = n & 7) {
      params.lists[i] = params.lists[same - 1];
    } else {
      params.lists[i] = {next, n >> 3};
      next += n >> 3;
    }
  }
  uint32_t named = get_number(p);
  params.user_lists = {named ? user_lists_.data() + get_number(p) : nullptr, named};
}

void PackedUsers::contact(uint32_t slot, PackedContact& out) const {
  std::string_view me;
  const char* p = read_me(slot, out.name, me);
  get_number(p);  // the destinations' length
  out.count = std::min<size_t>(get_number(p), kMaxDestinations);
  for (size_t d = 0; d < out.count; ++d) out.destinations[d] = get_destination(p);
}

std::string_view PackedUsers::rule_name(const PackedRule& rule) const {
  const char* p = text_data_ + rule.name;
  return get_text(p);
}

DigestPolicy PackedUsers::find_digest(const PackedRule& rule, uint32_t d) const {
  const PackedRule& next = (&rule)[1];
  for (uint32_t i = rule.digests; i < next.digests; ++i) {
    if (digests_[i].destination == d) return digests_[i].policy;
  }
  return {};
}

UserRules PackedUsers::unpack(uint32_t slot) const {
  const dsl::ParamsView params = this->params(slot);
  UserRules u;
  u.id = id(slot);
  std::string_view name, me;
  const char* p = read_me(slot, name, me);
  u.name = name;
  u.params.me = me;
  for (size_t i = 0; i < dsl::kListParamCount; ++i) {
    dsl::ParamList& list = u.params.list(static_cast<dsl::ParamId>(i + 1));
    for (dsl::InternedString item : params.lists[i]) list.push_back(item);
  }
  u.params.lists.assign(params.user_lists.begin(), params.user_lists.end());
  get_number(p);  // the destinations' length
  u.destinations.resize(get_number(p));
  for (DestinationSpec& d : u.destinations) {
    const PackedDestination packed = get_destination(p);
    d.kind = packed.kind;
    d.address = packed.address;
  }
  for (const PackedRule& r : rules(slot)) {
    RuleSpec& spec = u.rules.emplace_back();
    spec.rule = r.rule->shared_rule();
    spec.rule_id = r.rule_id;
    spec.destinations = r.destinations;
    spec.name = rule_name(r);
    spec.digests.assign(digests_.begin() + r.digests, digests_.begin() + (&r)[1].digests);
  }
  return u;
}

size_t PackedUsers::bytes() const {
  constexpr size_t kKeeperBlock = 48;  // a keeper's control block, with the text's pointer
  size_t total = slots_.capacity() * sizeof(slots_[0]) + items_.capacity() * sizeof(items_[0]) +
                 rules_.capacity() * sizeof(PackedRule) + digests_.capacity() * sizeof(DigestSpec) +
                 keepers_.capacity() * sizeof(keepers_[0]) + keepers_.size() * kKeeperBlock;
  if (text_) total += text_->capacity() + 1;
  for (const dsl::UserList& l : user_lists_) {
    total += sizeof(l) + l.name.capacity() + l.items.capacity() * sizeof(std::string);
    for (const std::string& item : l.items) total += item.capacity() > 15 ? item.capacity() + 1 : 0;
  }
  return total;
}

}  // namespace fmn::engine
