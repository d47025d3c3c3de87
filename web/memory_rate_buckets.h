// Token buckets by key in this process's memory: the rate limits of a single web instance.
// Driven by `clock`'s steady time. Thread-safe (one mutex).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "sinks/token_bucket.h"
#include "web/rate_buckets.h"

namespace fmn::web {

class MemoryRateBuckets : public RateBuckets {
 public:
  // `clock` outlives the buckets.
  explicit MemoryRateBuckets(Clock& clock = SystemClock::instance()) : clock_(clock) {}

  Take take_all(std::span<const BucketTake> buckets) override;

 private:
  Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, sinks::TokenBucket> buckets_;
};

}  // namespace fmn::web
