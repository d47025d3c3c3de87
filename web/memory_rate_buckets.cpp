#include "web/memory_rate_buckets.h"

#include <vector>

namespace fmn::web {

Take MemoryRateBuckets::take_all(std::span<const BucketTake> buckets) {
  const auto now = clock_.steady();
  std::lock_guard lock(mu_);
  std::vector<sinks::TokenBucket*> found;
  for (const BucketTake& b : buckets) {
    auto it = buckets_.find(std::string(b.key));
    if (it == buckets_.end()) {
      it = buckets_.emplace(std::string(b.key), sinks::TokenBucket(b.rate_per_second, b.burst, now))
               .first;
    }
    found.push_back(&it->second);
  }
  // Every bucket must allow it before any is spent.
  for (sinks::TokenBucket* b : found) {
    if (b->next_available(now) > now) return Take::kRefused;
  }
  for (sinks::TokenBucket* b : found) b->try_take(now);
  return Take::kTaken;
}

}  // namespace fmn::web
