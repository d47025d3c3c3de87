// How often the app may send confirmation requests: per user (so one account cannot use the app
// to mail strangers in bulk) and per address (so a stranger's address is not flooded by many
// accounts). Token buckets: `per_user` requests a day with bursts of `user_burst`, and
// `per_address` a day with bursts of `address_burst`. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "sinks/token_bucket.h"

namespace fmn::web {

struct ConfirmationLimitsConfig {
  double per_user = 20, user_burst = 5;
  double per_address = 5, address_burst = 3;
};

class ConfirmationLimits {
 public:
  explicit ConfirmationLimits(ConfirmationLimitsConfig config = {},
                              Clock& clock = SystemClock::instance());

  // True (and counted against both) when `user` may send one more request to `address` now.
  bool try_take(std::string_view user, std::string_view address);

 private:
  sinks::TokenBucket& bucket(std::unordered_map<std::string, sinks::TokenBucket>& buckets,
                             std::string_view key, double per_day, double burst,
                             Clock::time_point now);

  const ConfirmationLimitsConfig config_;
  Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, sinks::TokenBucket> users_, addresses_;
};

}  // namespace fmn::web
