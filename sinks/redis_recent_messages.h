// The recent-message store's durable copy in Redis: one stream "<prefix>recent" whose entries
// hold a message's msg_id (field "id") and its envelope (field "e", core/envelope_writer.h),
// capped with XADD MAXLEN ~ `max_messages` and trimmed by age (XTRIM MINID ~, the stream ids
// being Redis's clock in ms), and one key per msg_id, "<prefix>recent:id:<msg_id>", naming
// its stream entry and expiring with it (`max_age`), so a lookup by msg_id is two O(1) steps.
// The msg_id in the key and the field is bounded (core/bounded_id.h): a 1 MB msg_id costs the
// key 71 bytes, not 1 MB for `max_age`.
//
// The service's recorder writes it (pipeline/recent_recorder.h) and reloads its ring from it
// at start; `fmn-prefs explain --msg-id` reads it. It connects on first use and again after a
// failure, so a Redis that is down at start delays nothing (each call then fails with kIo).
// Thread-safe: one connection behind a mutex (shared_redis_connection.h).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "sinks/recent_messages.h"
#include "sinks/shared_redis_connection.h"

namespace fmn::sinks {

// A message as stored: its envelope and when Redis received it.
struct StoredRecentMessage {
  std::string envelope;
  std::chrono::system_clock::time_point received;
};

class RedisRecentMessages {
 public:
  RedisRecentMessages(RedisConfig redis, RecentMessagesConfig limits)
      : redis_(std::move(redis)), limits_(limits) {}

  // Appends `messages` in order (one round trip). kIo when Redis fails.
  Result<bool> write(const std::vector<MessagePtr>& messages);
  // The newest `limit` messages at most, oldest first.
  Result<std::vector<StoredRecentMessage>> newest(size_t limit);
  // The newest message with this msg_id still held; nullopt when none.
  Result<std::optional<StoredRecentMessage>> find(std::string_view msg_id);

 private:
  const std::string& prefix() const { return redis_.config().prefix; }

  SharedRedisConnection redis_;
  const RecentMessagesConfig limits_;
};

}  // namespace fmn::sinks
