// Segment: a set of users' rule records and their posting index, built in one go and immutable.
//
// A generation (generation.h) is a large base segment plus a small delta segment holding the
// users edited since the base was built. A record is one rule of one user: the interned rule, the
// user's slot in the segment's packed users (packed_users.h) and the rule's position among the
// user's rules (16 bytes). Records of a user are contiguous and in rule order.
// Thread-safe for any number of readers.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/packed_users.h"
#include "engine/posting_index.h"
#include "engine/rule_table.h"
#include "engine/user_rules.h"

namespace fmn::engine {

struct Record {
  const InternedRule* rule = nullptr;
  uint32_t user = 0;        // the user's slot in Segment::users()
  uint16_t rule_index = 0;  // position in the user's rules
};

class Segment {
 public:
  // Interns every rule in `table` and indexes each (user, rule) by rule_keys().
  class Builder {
   public:
    explicit Builder(RuleTable& table) : table_(table) {}
    void add(const UserRules& user);
    std::shared_ptr<const Segment> build() &&;

   private:
    RuleTable& table_;
    // Most users share their CompiledRule objects: each object is interned once.
    std::unordered_map<const dsl::CompiledRule*, const InternedRule*> interned_;
    std::vector<const InternedRule*> user_rules_;  // the current user's, interned
    PackedUsers::Builder users_;
    std::vector<Record> records_;
    PostingIndex::Builder index_;
  };

  static std::shared_ptr<const Segment> build(std::span<const UserRules> users, RuleTable& table);

  const PackedUsers& users() const { return users_; }
  const std::vector<Record>& records() const { return records_; }
  const PostingIndex& index() const { return index_; }

  // Records and index; the users are counted by users().bytes().
  size_t bytes() const;

 private:
  PackedUsers users_;
  std::vector<Record> records_;
  PostingIndex index_;
};

}  // namespace fmn::engine
