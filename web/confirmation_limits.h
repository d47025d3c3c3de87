// How often the app may send messages the user asks for. Confirmation requests: per user (so one
// account cannot use the app to mail strangers in bulk) and per address (so a stranger's address is
// not flooded by many accounts). Token buckets: `per_user` requests a day with bursts of
// `user_burst`, and `per_address` a day with bursts of `address_burst`. Test notifications
// (destinations_api.h): `per_minute` a minute per user, with bursts of `burst`.
//
// The buckets live in a RateBuckets (rate_buckets.h): in Redis when the app has one, so every web
// instance spends the same budget; in memory otherwise. When they cannot be read (Redis down),
// both limits fail closed: the request is answered "try again later" and counted
// (RateBuckets::unavailable_total()). Failing open would turn a Redis outage into a window in
// which the app mails or messages strangers without any limit, the very thing the limits are
// for; failing closed costs a user a retry. Thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "core/clock.h"
#include "web/rate_buckets.h"

namespace fmn::web {

struct ConfirmationLimitsConfig {
  double per_user = 20, user_burst = 5;
  double per_address = 5, address_burst = 3;
};

class ConfirmationLimits {
 public:
  // Buckets in this process's memory, driven by `clock`.
  explicit ConfirmationLimits(ConfirmationLimitsConfig config = {},
                              Clock& clock = SystemClock::instance());
  ConfirmationLimits(ConfirmationLimitsConfig config, std::shared_ptr<RateBuckets> buckets)
      : config_(config), buckets_(std::move(buckets)) {}

  // kTaken (and counted against both) when `user` may send one more request to `address` now.
  Take try_take(std::string_view user, std::string_view address);

 private:
  ConfirmationLimitsConfig config_;
  std::shared_ptr<RateBuckets> buckets_;
};

struct TestNotificationLimitsConfig {
  double per_minute = 5, burst = 5;
};

class TestNotificationLimits {
 public:
  explicit TestNotificationLimits(TestNotificationLimitsConfig config = {},
                                  Clock& clock = SystemClock::instance());
  TestNotificationLimits(TestNotificationLimitsConfig config, std::shared_ptr<RateBuckets> buckets)
      : config_(config), buckets_(std::move(buckets)) {}

  // kTaken (and counted) when `user` may ask for one more test notification now.
  Take try_take(std::string_view user);

 private:
  TestNotificationLimitsConfig config_;
  std::shared_ptr<RateBuckets> buckets_;
};

}  // namespace fmn::web
