// Generation: one immutable, consistent view of every user's rules, as the matcher sees it.
//
// A base segment, a delta segment (users edited since the base was built) and the base users
// the delta supersedes (removed or edited). match() gathers candidate records from both
// segments' indexes, dedupes them with a per-thread stamp array (MatchScratch) and evaluates
// each candidate's rule for its user: the rule's guard once per message (memoised per interned
// rule), then its residual per candidate (native code when allowed and compiled, else the
// interpreter). The cost follows the candidates, not the population. match_naive() evaluates
// every live record: the evaluate-every-rule baseline, with the same evaluation function.
// Thread-safe: any number of threads match at once, each with its own MatchScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/rule_table.h"
#include "engine/segment.h"

namespace fmn::engine {

struct Match {
  const PackedUsers* users = nullptr;  // the user's segment's: valid while the generation is held
  uint32_t slot = 0;                   // the user's in `users` (packed_users.h)
  uint16_t rule_index = 0;             // in users->rules(slot)
  UserId user_id() const { return users->id(slot); }
  std::string_view user_name() const { return users->name(slot); }
};

// Per-thread working memory for match(). Reusable across generations.
struct MatchScratch {
  std::vector<uint32_t> stamps;  // per record: the epoch it was last collected in
  uint32_t epoch = 0;
  std::vector<uint32_t> candidates;
  std::vector<uint32_t> guard_stamps;  // per interned rule: the epoch its guard was evaluated in
  std::vector<uint8_t> guards;         // ... and the result
  GlobCache globs;                     // the base index's
};

struct MatchCounts {
  uint64_t candidates = 0;
  uint64_t matches = 0;
};

class Generation {
 public:
  // REQUIRES: `dead` sorted; base and delta built with `table`.
  Generation(std::shared_ptr<RuleTable> table, std::shared_ptr<const Segment> base,
             std::shared_ptr<const Segment> delta, std::vector<uint32_t> dead, bool allow_native,
             uint64_t serial);

  // Appends the message's matches to `out`.
  void match(const Message& m, MatchScratch& scratch, std::vector<Match>& out,
             MatchCounts* counts = nullptr) const;
  void match_naive(const Message& m, std::vector<Match>& out) const;

  // The same rule set with native code allowed or not (to compare the tiers on one index).
  std::shared_ptr<const Generation> with_native(bool allow) const;

  uint64_t serial() const { return serial_; }
  const Segment& base() const { return *base_; }
  const Segment& delta() const { return *delta_; }
  const RuleTable& table() const { return *table_; }
  size_t live_records() const;
  bool allow_native() const { return allow_native_; }

 private:
  bool dead(uint32_t base_user) const;

  std::shared_ptr<RuleTable> table_;
  std::shared_ptr<const Segment> base_, delta_;
  std::vector<uint32_t> dead_;  // base user slots
  bool allow_native_;
  uint64_t serial_;
};

}  // namespace fmn::engine
