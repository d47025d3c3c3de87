// Token buckets in Redis, shared by every web instance that uses the same Redis (and prefix):
// N instances allow the budget once, not N times.
//
// One bucket is a hash "<prefix>web:limit:<key>" {tokens, at (Unix ms)}; keys longer than
// kMaxPlainId bytes are replaced by their SHA-256 (core/bounded_id.h), so an address of any
// length makes a key of bounded size. A Lua script refills, checks and spends all the buckets
// of one take_all() atomically, and sets each key to expire once it would be full again (a
// missing key is a full bucket, so the expiry loses nothing). Time is the caller's wall clock
// in milliseconds: instances must keep their clocks roughly in time (NTP); a clock behind the
// last writer's refills nothing until it catches up.
//
// Redis unreachable: take_all() answers kUnavailable, counts it and logs a warning (no key, no
// address); what the caller then does is its policy (confirmation_limits.h). Thread-safe.
#pragma once

#include <memory>

#include "core/clock.h"
#include "sinks/shared_redis_connection.h"
#include "web/rate_buckets.h"

namespace fmn::web {

class RedisRateBuckets : public RateBuckets {
 public:
  // `clock` outlives the buckets.
  explicit RedisRateBuckets(std::shared_ptr<sinks::SharedRedisConnection> redis,
                            Clock& clock = SystemClock::instance())
      : redis_(std::move(redis)), clock_(clock) {}

  Take take_all(std::span<const BucketTake> buckets) override;

 private:
  std::shared_ptr<sinks::SharedRedisConnection> redis_;
  Clock& clock_;
};

}  // namespace fmn::web
