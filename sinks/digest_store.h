// Where pending digest items and delivery state live: in memory (embedded default) or in Redis
// (redis_digest_store.h), so a restart resumes pending digests and sends nothing twice.
//
// A key names one (destination kind, user, address). Items are opaque bytes (see
// notification_codec.h), kept in arrival order. Each key has a due time (wall-clock ms), set
// when its first pending item arrives. take() moves a key's items to an in-flight list that
// done() clears once the digest was handed to the sink; items in flight when the process
// stopped come back from in_flight() at start-up.
// Dedupe: an id (delivery_id()) is accepted once per `ttl`; a repeat is refused.
// A store is used from one thread at a time (the batcher's). Errors are values (kIo when Redis
// is unreachable).
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace fmn::sinks {

inline constexpr int64_t kNeverDue = std::numeric_limits<int64_t>::max();

struct PendingDigest {
  std::string key;  // as given to add() (bounded, core/bounded_id.h, by the Redis store)
  size_t items = 0;
  int64_t due_ms = kNeverDue;
};

class DigestStore {
 public:
  virtual ~DigestStore() = default;

  // Records `id` as delivered unless it already was within the TTL. Returns false for a repeat.
  virtual Result<bool> mark_once(std::string_view id) = 0;
  // Whether `id` was recorded as delivered within the TTL (records nothing).
  virtual Result<bool> seen(std::string_view id) = 0;
  // Forgets that `id` was delivered, so it is accepted again (an operator replaying a dead
  // letter: a notification given up is marked like a delivered one).
  virtual Result<bool> forget(std::string_view id) = 0;

  // Appends `item` to `key` unless `id` was seen (then returns 0). Sets the key's due time to
  // `due_ms` if it has none; moves one earlier than `hold_ms` to `hold_ms` (an item held by
  // quiet hours or a snooze holds its whole digest). Returns how many items are now pending.
  virtual Result<size_t> add(std::string_view key, std::string_view id, std::string_view item,
                             int64_t due_ms, int64_t hold_ms) = 0;

  // Keys whose due time is at or before `now_ms`.
  virtual Result<std::vector<std::string>> due(int64_t now_ms) = 0;

  // Moves the key's pending items (and any left in flight) to its in-flight list, clears its
  // due time and returns the in-flight items, oldest first.
  virtual Result<std::vector<std::string>> take(std::string_view key) = 0;
  // Forgets the key's in-flight items.
  virtual Result<bool> done(std::string_view key) = 0;
  // Keys with items in flight (left by a stop between take() and done()).
  virtual Result<std::vector<std::string>> in_flight() = 0;

  // Every key with pending items: how many, and when due (kNeverDue: when its count is reached).
  virtual Result<std::vector<PendingDigest>> pending() = 0;
  // Makes the key due at `due_ms` if it has pending items (the batcher that owns it sends it on
  // its next tick); returns whether it had.
  virtual Result<bool> expedite(std::string_view key, int64_t due_ms) = 0;

  // For the start-up log: "memory" or "redis 127.0.0.1:6379".
  virtual std::string describe() const = 0;
};

}  // namespace fmn::sinks
