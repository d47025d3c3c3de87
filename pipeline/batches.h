// What travels between graph nodes: batches, never single messages (a hop costs ~175 ns
// unbatched). `seq` numbers batches in source order so the sink side can restore it; `read_at`
// is when the source handed the batch over, for the latency from there to the sink queues.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "bus/raw_message.h"
#include "core/notification.h"

namespace fmn::pipeline {

struct RawBatch {
  uint64_t seq = 0;
  std::chrono::steady_clock::time_point read_at{};
  std::vector<bus::RawMessage> items;
};

struct ParsedBatch {
  uint64_t seq = 0;
  std::chrono::steady_clock::time_point read_at{};
  std::vector<MessagePtr> messages;
};

struct NotificationBatch {
  uint64_t seq = 0;
  std::chrono::steady_clock::time_point read_at{};
  std::vector<Notification> items;
};

using RawBatchPtr = std::shared_ptr<RawBatch>;
using ParsedBatchPtr = std::shared_ptr<ParsedBatch>;
using NotificationBatchPtr = std::shared_ptr<NotificationBatch>;

}  // namespace fmn::pipeline
