// A notification: one message matched for one user's rule, bound for one destination.
//
// Cheap to copy (the message is shared, read-only). Produced by the matcher's fan-out and
// consumed by batchers and sinks; sinks know notifications, never rules.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/destination_kinds.h"
#include "core/message.h"

namespace fmn {

// How a (user, destination) wants a rule's notifications: at once, or collected into digests
// flushed on time and/or count (FMN's batch_delta and batch_count). Set by the preferences when
// the rule is loaded and carried by each notification, so delivery never looks it up.
struct DigestPolicy {
  std::chrono::seconds every{0};  // batch_delta: flush this long after the first pending item
  uint32_t count = 0;             // batch_count: flush when this many items are pending
  // Both zero: immediate. Both set: whichever comes first.
  bool immediate() const { return every.count() <= 0 && count == 0; }
};

struct Notification {
  MessagePtr message;
  uint32_t user_id = 0;
  uint32_t rule_id = 0;
  DestinationKind destination = DestinationKind::kStdout;
  std::string user;       // account name
  std::string rule_name;  // the rule that matched, said in the notification
  std::string address;    // the destination: email address, IRC nick or SSE feed; may be empty
  DigestPolicy digest;    // immediate unless the user asked for digests
};

}  // namespace fmn
