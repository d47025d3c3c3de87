#include "pipeline/engine_matcher.h"

#include <algorithm>

namespace fmn::pipeline {

using engine::Generation;
using engine::Match;
using engine::MatchScratch;
using engine::PackedRule;
using engine::PackedUsers;

void append_notifications(const MessagePtr& message, std::vector<Match>& matches,
                          std::vector<Notification>& out) {
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    if (a.users != b.users) return a.users < b.users;
    return a.slot != b.slot ? a.slot < b.slot : a.rule_index < b.rule_index;
  });
  // The users' data are scattered in memory and each costs two cache misses in a row (its bytes,
  // then its rules): fetch the bytes eight matches ahead of their use and the rules four ahead.
  constexpr size_t kAhead = 4;
  const size_t count = matches.size();
  const PackedUsers* users = nullptr;
  uint32_t slot = 0;
  engine::PackedContact contact;
  uint32_t sent = 0;  // destinations of the current user already notified
  for (size_t i = 0; i < count; ++i) {
    if (i + 2 * kAhead < count) {
      matches[i + 2 * kAhead].users->prefetch(matches[i + 2 * kAhead].slot);
    }
    if (i + kAhead < count) matches[i + kAhead].users->prefetch_rules(matches[i + kAhead].slot);
    const Match& m = matches[i];
    if (m.users != users || m.slot != slot) {
      users = m.users;
      slot = m.slot;
      users->contact(slot, contact);
      sent = 0;
    }
    const PackedRule& rule = users->rules(slot)[m.rule_index];
    uint32_t fresh = rule.destinations & ~sent;
    sent |= rule.destinations;
    for (uint32_t d = 0; fresh != 0 && d < contact.count; ++d) {
      if (!(fresh & (1u << d))) continue;
      Notification& n = out.emplace_back();
      n.message = message;
      n.user_id = users->id(slot);
      n.rule_id = rule.rule_id;
      n.destination = contact.destinations[d].kind;
      n.digest = users->digest_for(rule, d);
      n.refer(users->keeper(slot), contact.name, users->rule_name(rule),
              contact.destinations[d].address);
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
