#include "engine/generation.h"

#include <algorithm>

namespace fmn::engine {

Generation::Generation(std::shared_ptr<RuleTable> table, std::shared_ptr<const Segment> base,
                       std::shared_ptr<const Segment> delta, std::vector<uint32_t> dead,
                       bool allow_native, uint64_t serial)
    : table_(std::move(table)),
      base_(std::move(base)),
      delta_(std::move(delta)),
      dead_(std::move(dead)),
      allow_native_(allow_native),
      serial_(serial) {}

std::shared_ptr<const Generation> Generation::with_native(bool allow) const {
  return std::make_shared<const Generation>(table_, base_, delta_, dead_, allow, serial_);
}

bool Generation::dead(uint32_t base_user) const {
  return !dead_.empty() && std::binary_search(dead_.begin(), dead_.end(), base_user);
}

size_t Generation::live_records() const {
  size_t n = delta_->records().size();
  for (const Record& r : base_->records()) n += !dead(r.user);
  return n;
}

void Generation::match(const Message& m, MatchScratch& s, std::vector<Match>& out,
                       MatchCounts* counts) const {
  const auto& base_records = base_->records();
  const auto& delta_records = delta_->records();
  auto base_count = static_cast<uint32_t>(base_records.size());
  size_t total = base_records.size() + delta_records.size();
  if (s.stamps.size() < total) s.stamps.resize(total, 0);
  if (++s.epoch == 0) {  // wrapped: old stamps could collide
    std::fill(s.stamps.begin(), s.stamps.end(), 0);
    std::fill(s.guard_stamps.begin(), s.guard_stamps.end(), 0);
    s.epoch = 1;
  }
  s.candidates.clear();
  uint32_t epoch = s.epoch;
  auto collect = [&](uint32_t offset) {
    return [&, offset](std::span<const uint32_t> ids) {
      for (uint32_t id : ids) {
        uint32_t& stamp = s.stamps[id + offset];
        if (stamp == epoch) continue;
        stamp = epoch;
        s.candidates.push_back(id + offset);
      }
    };
  };
  base_->index().for_each_hit(m, collect(0), &s.globs);
  if (!delta_records.empty()) delta_->index().for_each_hit(m, collect(base_count));

  size_t before = out.size();
  auto test = [&](const Record& r, const PackedUsers& users) {
    const InternedRule& rule = *r.rule;
    if (rule.has_guard()) {
      uint32_t id = rule.id();
      if (id >= s.guard_stamps.size()) {
        s.guard_stamps.resize(id + 1, 0);
        s.guards.resize(id + 1, 0);
      }
      if (s.guard_stamps[id] != epoch) {
        s.guard_stamps[id] = epoch;
        s.guards[id] = rule.guard(m);
      }
      if (!s.guards[id]) return;
    }
    if (!rule.reads_user() ||
        rule.residual(m, users.params(r.user, rule.residual_reads_lists()), allow_native_)) {
      out.push_back(Match{&users, r.user, r.rule_index});
    }
  };
  // At a large population the records and the users' bytes are each a cache miss away: fetch
  // the records four candidates ahead and the users' bytes two ahead. (At a small one they are
  // in the cache, and the fetches only cost: 10-15% of the match stage at 10k users; fetching
  // only the users whose parameters the rule reads did not help either.)
  constexpr size_t kAhead = 2;
  constexpr uint32_t kCachedRecords = 1u << 18;  // 4 MB of records
  const bool ahead = base_count > kCachedRecords;
  const auto& base_users = base_->users();
  const size_t candidates = s.candidates.size();
  for (size_t i = 0; i < candidates; ++i) {
    if (ahead && i + 2 * kAhead < candidates && s.candidates[i + 2 * kAhead] < base_count) {
      __builtin_prefetch(&base_records[s.candidates[i + 2 * kAhead]]);
    }
    if (ahead && i + kAhead < candidates && s.candidates[i + kAhead] < base_count) {
      base_users.prefetch(base_records[s.candidates[i + kAhead]].user);
    }
    const uint32_t id = s.candidates[i];
    if (id < base_count) {
      const Record& r = base_records[id];
      if (!dead(r.user)) test(r, base_users);
    } else {
      const Record& r = delta_records[id - base_count];
      test(r, delta_->users());
    }
  }
  if (counts) {
    counts->candidates += s.candidates.size();
    counts->matches += out.size() - before;
  }
}

void Generation::match_naive(const Message& m, std::vector<Match>& out) const {
  for (const Segment* seg : {base_.get(), delta_.get()}) {
    bool is_base = seg == base_.get();
    for (const Record& r : seg->records()) {
      if (is_base && dead(r.user)) continue;
      if (r.rule->evaluate(m, seg->users().params(r.user), allow_native_)) {
        out.push_back(Match{&seg->users(), r.user, r.rule_index});
      }
    }
  }
}

}  // namespace fmn::engine
