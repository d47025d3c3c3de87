#include "pipeline/engine_matcher.h"

#include <algorithm>

namespace fmn::pipeline {

using engine::DestinationSpec;
using engine::Generation;
using engine::Match;
using engine::MatchScratch;
using engine::RuleSpec;
using engine::UserRules;
using engine::UserRulesPtr;

void append_notifications(const MessagePtr& message, std::vector<Match>& matches,
                          std::vector<Notification>& out) {
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.owner != b.owner ? a.owner < b.owner : a.rule_index < b.rule_index;
  });
  // The users' records are scattered in memory and each costs up to three cache misses in a row
  // (the record, its rules, its destinations): fetch the records eight matches ahead of their use
  // and their rules and destinations four ahead.
  constexpr size_t kAhead = 4;
  const size_t count = matches.size();
  const UserRulesPtr* owner = nullptr;
  uint32_t sent = 0;  // destinations of `owner`'s user already notified
  for (size_t i = 0; i < count; ++i) {
    if (i + 2 * kAhead < count) __builtin_prefetch(matches[i + 2 * kAhead].owner->get());
    if (i + kAhead < count) {
      const Match& next = matches[i + kAhead];
      __builtin_prefetch(&next.user().rules[next.rule_index]);
      __builtin_prefetch(next.user().destinations.data());
    }
    const Match& m = matches[i];
    if (m.owner != owner) {
      owner = m.owner;
      sent = 0;
    }
    const UserRules& user = **owner;
    const RuleSpec& rule = user.rules[m.rule_index];
    uint32_t fresh = rule.destinations & ~sent;
    sent |= rule.destinations;
    for (uint32_t d = 0; fresh != 0 && d < user.destinations.size(); ++d) {
      if (!(fresh & (1u << d))) continue;
      const DestinationSpec& dest = user.destinations[d];
      Notification& n = out.emplace_back();
      n.message = message;
      n.user_id = user.id;
      n.rule_id = rule.rule_id;
      n.destination = dest.kind;
      n.digest = rule.digest_for(d);
      n.refer(*owner, user.name, rule.name.empty() ? rule.rule->name : rule.name, dest.address);
    }
  }
}

void EngineMatcher::match(const MessagePtr& message, std::vector<Notification>& out) const {
  thread_local MatchScratch scratch;
  thread_local std::vector<Match> matches;
  std::shared_ptr<const Generation> generation = engine_.current();
  matches.clear();
  generation->match(*message, scratch, matches);
  append_notifications(message, matches, out);
}

}  // namespace fmn::pipeline
