// PackedUsers: the users of a segment, packed into one buffer instead of one object each.
//
// A million users' UserRules cost ~500 bytes each as objects (strings, vectors, a shared
// pointer each); most of it is headers, padding and allocations. Here a user is one encoded run
// of bytes (its id, list sizes, name, `$me`, named lists and destinations), its list items
// (interned strings) and its rules (24 bytes each, their names stored once per segment).
// `$my_packages` and `$followed_packages`, usually the same list, are stored once. A user is
// named by its slot: the offset of its bytes, so reading its `$me` for a rule is one fetch from
// memory. Notifications refer to names and addresses here; keeper() keeps them alive (one shared
// count per KiB of users, so the threads that make and free notifications do not all contend
// on one counter).
//
// Built once with Builder, then read-only: thread-safe for any number of readers.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/notification.h"
#include "core/string_hash.h"
#include "dsl/params_view.h"
#include "engine/user_rules.h"

namespace fmn::engine {

class InternedRule;

// A rule of a packed user.
struct PackedRule {
  const InternedRule* rule = nullptr;
  uint32_t rule_id = 0;       // the store's id, reported in notifications
  uint32_t name = 0;          // offset of its name (length-prefixed) in the segment's text
  uint32_t destinations = 0;  // bit i: the user's destination i receives this rule's matches
  uint32_t digests = 0;       // its first DigestSpec; the next rule's first ends them
};

struct PackedDestination {
  DestinationKind kind = DestinationKind::kEmail;
  std::string_view address;
};

inline constexpr size_t kMaxDestinations = 32;  // what PackedRule::destinations can address

// What notifications of a user are addressed with.
struct PackedContact {
  std::string_view name;
  size_t count = 0;  // destinations
  std::array<PackedDestination, kMaxDestinations> destinations;
};

class PackedUsers {
 public:
  class Builder {
   public:
    // `rules[i]` is user.rules[i] interned. Returns the user's slot. REQUIRES: user.params
    // normalized, at most 65,535 rules, under 4 GiB in all.
    uint32_t add(const UserRules& user, std::span<const InternedRule* const> rules);
    PackedUsers build() &&;

   private:
    uint32_t rule_name(std::string_view name);

    std::vector<uint32_t> slots_;
    std::string text_;
    std::vector<dsl::InternedString> items_;
    std::vector<PackedRule> rules_;
    std::vector<DigestSpec> digests_;
    std::vector<dsl::UserList> user_lists_;
    std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>
        names_;                 // rule name -> its offset in text_
    std::string destinations_;  // the current user's, encoded
  };

  PackedUsers() = default;

  size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }
  uint32_t slot_at(size_t i) const { return slots_[i]; }  // the users in the order added

  UserId id(uint32_t slot) const { return fixed(slot, kId); }
  std::string_view name(uint32_t slot) const {
    const char* p = text_data_ + slot + kFixedBytes;
    return get_text(p);
  }
  // The user's parameters; without `lists`, only `$me` (the lists read as empty). Inline: the
  // matcher reads `$me` of most candidates and nothing else.
  dsl::ParamsView params(uint32_t slot, bool lists = true) const {
    dsl::ParamsView params;
    std::string_view name;
    const char* p = read_me(slot, name, params.me);
    if (lists) read_lists(slot, p, params);
    return params;
  }
  std::span<const PackedRule> rules(uint32_t slot) const {
    return {rules_.data() + fixed(slot, kRules), fixed(slot, kRuleCount)};
  }
  // The user's name and destinations (the first kMaxDestinations), in order.
  void contact(uint32_t slot, PackedContact& out) const;

  std::string_view rule_name(const PackedRule& rule) const;
  // The policy of `rule`'s notifications to the user's destination `d` (immediate if none).
  // REQUIRES: `rule` is one of this store's.
  DigestPolicy digest_for(const PackedRule& rule, uint32_t d) const {
    if (rule.digests == (&rule)[1].digests) return {};
    return find_digest(rule, d);
  }

  // Keeps the names, rule names and addresses of `slot`'s user alive (Notification::refer).
  const std::shared_ptr<const void>& keeper(uint32_t slot) const {
    return keepers_[slot >> kKeeperShift];
  }

  // The user as it was added (its rules as their interned representatives, each named as its
  // notifications name it): to build another segment from this one.
  UserRules unpack(uint32_t slot) const;

  // Starts loading the user's bytes; once they are in, its rules.
  void prefetch(uint32_t slot) const { __builtin_prefetch(text_data_ + slot); }
  void prefetch_rules(uint32_t slot) const {
    __builtin_prefetch(rules_.data() + fixed(slot, kRules));
  }

  size_t bytes() const;  // heap memory held (the interned texts are the pool's)

 private:
  // A user's bytes start with its id, its first item in items_, its first rule in rules_ (four
  // bytes each) and its rule count (two bytes).
  enum Field : uint8_t { kId = 0, kItems = 4, kRules = 8, kRuleCount = 12 };
  static constexpr size_t kFixedBytes = 14;
  static constexpr int kKeeperShift = 10;
  uint32_t fixed(uint32_t slot, Field f) const {
    uint32_t v = 0;
    std::memcpy(&v, text_data_ + slot + f, f == kRuleCount ? 2 : 4);
    return v;
  }

  // Numbers are LEB128 varints (one byte below 128); texts their length, then their bytes.
  static uint32_t get_number(const char*& p) {
    auto byte = static_cast<uint8_t>(*p++);
    uint32_t n = byte & 0x7f;
    for (int shift = 7; byte & 0x80; shift += 7) {
      byte = static_cast<uint8_t>(*p++);
      n |= static_cast<uint32_t>(byte & 0x7f) << shift;
    }
    return n;
  }
  static std::string_view get_text(const char*& p) {
    uint32_t size = get_number(p);
    std::string_view s(p, size);
    p += size;
    return s;
  }
  // Reads the user's name and `$me`; returns where its destinations start.
  const char* read_me(uint32_t slot, std::string_view& name, std::string_view& me) const {
    const char* p = text_data_ + slot + kFixedBytes;
    name = get_text(p);
    if (uint32_t size = get_number(p)) {
      me = {p, size - 1};
      p += size - 1;
    } else {
      me = name;
    }
    return p;
  }
  static PackedDestination get_destination(const char*& p) {
    PackedDestination d;
    d.kind = static_cast<DestinationKind>(*p++);
    d.address = get_text(p);
    return d;
  }
  // Reads the lists, `p` being where the destinations start.
  void read_lists(uint32_t slot, const char* p, dsl::ParamsView& params) const;
  DigestPolicy find_digest(const PackedRule& rule, uint32_t d) const;

  std::vector<uint32_t> slots_;
  std::shared_ptr<const std::string> text_;
  const char* text_data_ = nullptr;  // text_->data()
  std::vector<dsl::InternedString> items_;
  std::vector<PackedRule> rules_;  // one extra at the end
  std::vector<DigestSpec> digests_;
  std::vector<dsl::UserList> user_lists_;
  std::vector<std::shared_ptr<const void>> keepers_;  // one per KiB of text_
};

}  // namespace fmn::engine
