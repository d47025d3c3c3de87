// How a (user, destination) wants its notifications: at once, or collected into digests
// flushed on time and/or count — FMN's batch_delta and batch_count. The preferences store
// owns the per-destination values; the digest batcher asks for them through a PolicyLookup.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "core/notification.h"

namespace fmn::sinks {

struct DigestPolicy {
  std::chrono::seconds every{0};  // batch_delta: flush this long after the first pending item
  uint32_t count = 0;             // batch_count: flush when this many items are pending
  // Both zero: immediate. Both set: whichever comes first.
  bool immediate() const { return every.count() <= 0 && count == 0; }
};

// The policy for a notification's (user, destination). Called on the sink's thread.
using PolicyLookup = std::function<DigestPolicy(const Notification&)>;

}  // namespace fmn::sinks
