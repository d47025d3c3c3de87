// RateBuckets: where the web app's rate limits keep their token buckets (confirmation_limits.h).
// MemoryRateBuckets holds them in this process (the embedded demo, a single instance);
// RedisRateBuckets in Redis, so that any number of web instances share one budget instead of
// each allowing it again.
//
// take_all() takes one token from each of several buckets, or from none of them: a request
// refused by one limit does not spend another's token. A bucket is named by its key, made on
// first use and full at first, `rate_per_second` tokens a second up to `burst`. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string_view>

namespace fmn::web {

struct BucketTake {
  std::string_view key;  // any text (a user, an address); stores bound its size themselves
  double rate_per_second = 1;
  double burst = 1;
};

enum class Take {
  kTaken,
  kRefused,      // a bucket was empty; nothing was taken
  kUnavailable,  // the buckets could not be read (Redis down); nothing was taken
};

class RateBuckets {
 public:
  virtual ~RateBuckets() = default;
  virtual Take take_all(std::span<const BucketTake> buckets) = 0;
  // How many take_all() calls answered kUnavailable.
  uint64_t unavailable_total() const { return unavailable_.load(std::memory_order_relaxed); }

 protected:
  std::atomic<uint64_t> unavailable_{0};
};

}  // namespace fmn::web
