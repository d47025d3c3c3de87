// A notification: one message matched for one user's rule, bound for one destination.
//
// Cheap to copy (the message is shared, read-only). Produced by the matcher's fan-out and
// consumed by batchers and sinks; sinks know notifications, never rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/message.h"

namespace fmn {

enum class DestinationKind : uint8_t { kEmail, kIrc, kSse, kStdout };

// "email", "irc", "sse", "stdout": the kind's name in files, logs, keys and URLs.
std::string_view destination_kind_name(DestinationKind kind);

struct Notification {
  MessagePtr message;
  uint32_t user_id = 0;
  uint32_t rule_id = 0;
  DestinationKind destination = DestinationKind::kStdout;
  std::string user;       // account name
  std::string rule_name;  // the rule that matched, said in the notification
  std::string address;    // the destination: email address, IRC nick or SSE feed; may be empty
};

}  // namespace fmn
