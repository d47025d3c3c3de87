// A DeliveryHistory in Redis, shared by every instance and web front:
//   <prefix>history:<user>   list of JSON records, newest first, at most per_user long,
//                            expiring ttl after its last record
// Users longer than kMaxPlainId bytes are keyed by their SHA-256 (core/bounded_id.h). A batch
// of records (up to 500) is added, the lists trimmed and their expiry renewed in one
// server-side script: one round trip. One connection behind a mutex: callers on any thread take
// turns.
#pragma once

#include <memory>

#include "sinks/delivery_history.h"
#include "sinks/shared_redis_connection.h"

namespace fmn::sinks {

class RedisDeliveryHistory : public DeliveryHistory {
 public:
  // Connects on first use, and again after a failure: Redis being down at start-up delays
  // nothing, and each call then fails with kIo until it is back.
  RedisDeliveryHistory(RedisConfig config, DeliveryHistoryLimits limits)
      : redis_(std::move(config)), limits_(limits) {}
  ~RedisDeliveryHistory() override;

  Result<bool> append(const std::vector<DeliveryRecord>& records) override;
  Result<std::vector<DeliveryRecord>> recent(std::string_view user, size_t offset,
                                             size_t limit) override;
  std::string describe() const override;

 private:
  std::string key(std::string_view user) const;
  SharedRedisConnection redis_;
  const DeliveryHistoryLimits limits_;
};

}  // namespace fmn::sinks
