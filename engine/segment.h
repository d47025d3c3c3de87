// Segment: a set of users' rule records and their posting index, built in one go and immutable.
//
// A generation (generation.h) is a large base segment plus a small delta segment holding the
// users edited since the base was built. A record is one rule of one user: the interned rule, the
// user's slot in the segment and the rule's position among the user's rules (16 bytes). Records
// of a user are contiguous and in rule order. Thread-safe for any number of readers.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/posting_index.h"
#include "engine/rule_table.h"
#include "engine/user_rules.h"

namespace fmn::engine {

struct Record {
  const InternedRule* rule = nullptr;
  uint32_t user = 0;        // index into Segment::users()
  uint16_t rule_index = 0;  // position in UserRules::rules
};

class Segment {
 public:
  // Interns every rule in `table` and indexes each (user, rule) by rule_keys().
  static std::shared_ptr<const Segment> build(std::vector<UserRulesPtr> users, RuleTable& table);

  const std::vector<UserRulesPtr>& users() const { return users_; }
  const std::vector<Record>& records() const { return records_; }
  const PostingIndex& index() const { return index_; }

  // Records, index and user slots; the users' own records (names, parameters) are counted by
  // param_bytes().
  size_t bytes() const;
  size_t param_bytes() const;

 private:
  std::vector<UserRulesPtr> users_;
  std::vector<Record> records_;
  PostingIndex index_;
};

}  // namespace fmn::engine
