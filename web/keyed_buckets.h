// Token buckets by key (a user, an address), made on first use and full at first: the state of
// the app's per-user and per-address rate limits. One thread at a time (the owner locks).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sinks/token_bucket.h"

namespace fmn::web {

class KeyedBuckets {
 public:
  // `rate` tokens a second, at most `burst` held, for each key.
  KeyedBuckets(double rate_per_second, double burst) : rate_(rate_per_second), burst_(burst) {}

  sinks::TokenBucket& at(std::string_view key, std::chrono::steady_clock::time_point now);

 private:
  double rate_, burst_;
  std::unordered_map<std::string, sinks::TokenBucket> buckets_;
};

}  // namespace fmn::web
