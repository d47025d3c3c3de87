#include "sinks/token_bucket.h"

#include <algorithm>

namespace fmn::sinks {

void TokenBucket::refill(time_point now) {
  if (now <= updated_) return;
  const double elapsed = std::chrono::duration<double>(now - updated_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  updated_ = now;
}

bool TokenBucket::try_take(time_point now) {
  refill(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

TokenBucket::time_point TokenBucket::next_available(time_point now) {
  refill(now);
  if (tokens_ >= 1.0) return now;
  const double wait = (1.0 - tokens_) / rate_;
  return now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(wait));
}

}  // namespace fmn::sinks
