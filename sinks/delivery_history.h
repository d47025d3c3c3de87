// DeliveryHistory: per user, the last notifications the sinks finished with (when, where,
// which rule, and how it ended), for the app's "What you got" page (GET /api/v1/history).
//
// Bounded per user: the newest `per_user` records are kept, older ones dropped; with Redis
// (redis_delivery_history.h) a user's list also expires `ttl` after its last record, and is
// shared by every instance; in memory (memory_delivery_history.h) at most `max_users` users
// are kept, the one recorded least recently dropped first. Records are written off the
// delivery path (pipeline/history_recorder.h) and read by the web app.
// Thread-safety: every implementation may be used from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sinks/redis_connection.h"

namespace fmn::sinks {

enum class DeliveryStatus {
  kSent,           // the destination accepted it (alone, or as an item of a digest)
  kPendingDigest,  // held for the user's digest; a kSent record follows when it goes out
  kFailed,         // given up: refused, rejected or out of attempts (see detail)
  kDeadLettered,   // handed out too often unconfirmed: parked in the outbox's dead letters
  kMuted,          // matched while the destination (or user) was muted: dropped, never sent
};
std::string_view delivery_status_name(DeliveryStatus status);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view name);

struct DeliveryRecord {
  int64_t at_ms = 0;  // wall time it ended (or was held), ms since the epoch
  std::string user;
  std::string kind;     // destination kind: "email", "irc", ...
  std::string address;  // email address, nick, feed name
  std::string rule;     // the rule that matched
  std::string msg_id;   // over 200 bytes, its SHA-256 form (core/bounded_id.h)
  std::string topic;
  std::string subtitle;  // the message's one-line summary
  DeliveryStatus status = DeliveryStatus::kSent;
  std::string detail;  // why it failed; empty otherwise
};

struct DeliveryHistoryLimits {
  size_t per_user = 200;
  std::chrono::seconds ttl = std::chrono::hours(24 * 30);
  size_t max_users = 10'000;  // memory only
};

class DeliveryHistory {
 public:
  virtual ~DeliveryHistory() = default;
  // Adds records (any users, oldest first).
  virtual Result<bool> append(const std::vector<DeliveryRecord>& records) = 0;
  // `user`'s records, newest first, skipping the `offset` newest, at most `limit`.
  virtual Result<std::vector<DeliveryRecord>> recent(std::string_view user, size_t offset,
                                                     size_t limit) = 0;
  virtual std::string describe() const = 0;
};

// Redis when `redis` is set (under its prefix; connected on first use), memory otherwise.
std::shared_ptr<DeliveryHistory> open_delivery_history(const std::optional<RedisConfig>& redis,
                                                       DeliveryHistoryLimits limits = {});

}  // namespace fmn::sinks
