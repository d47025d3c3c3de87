// What the engine matches for: one user's parameters, destinations and checked rules.
//
// The input of a generation (generation.h) and of the engine's edits (rule_engine.h). Rules are
// shared, immutable CompiledRules (intern them with RuleTable so a million users running the
// default rules hold three rule objects, not three million). Plain values; a segment keeps its
// users packed (packed_users.h), not as UserRules.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/notification.h"
#include "dsl/program.h"
#include "dsl/user_params.h"

namespace fmn::engine {

using UserId = uint32_t;

struct DestinationSpec {
  DestinationKind kind = DestinationKind::kEmail;
  std::string address;
};

// A destination of a rule that wants digests (the others are immediate).
struct DigestSpec {
  uint32_t destination = 0;  // index in UserRules::destinations
  DigestPolicy policy;
};

struct RuleSpec {
  std::shared_ptr<const dsl::CompiledRule> rule;
  uint32_t rule_id = 0;       // the store's id, reported in notifications
  uint32_t destinations = 0;  // bit i: UserRules::destinations[i] receives this rule's matches
  std::string name;           // the user's name for it, said in notifications (rules with
                              // equal tests share `rule`, whatever their users call them)
  std::vector<DigestSpec> digests;  // carried by the notifications (usually empty)

  // The policy of this rule's notifications to destination `d`.
  DigestPolicy digest_for(uint32_t d) const {
    for (const DigestSpec& s : digests) {
      if (s.destination == d) return s.policy;
    }
    return {};
  }
};

struct UserRules {
  UserId id = 0;  // unique in the engine
  std::string name;
  dsl::UserParams params;  // REQUIRES: normalize() was called
  std::vector<DestinationSpec> destinations;
  std::vector<RuleSpec> rules;  // in order: a notification names the first rule that matched
};

using UserRulesPtr = std::shared_ptr<const UserRules>;

}  // namespace fmn::engine
