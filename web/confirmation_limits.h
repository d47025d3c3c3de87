// How often the app may send messages the user asks for. Confirmation requests: per user (so one
// account cannot use the app to mail strangers in bulk) and per address (so a stranger's address is
// not flooded by many accounts). Token buckets: `per_user` requests a day with bursts of
// `user_burst`, and `per_address` a day with bursts of `address_burst`. Test notifications
// (destinations_api.h): `per_minute` a minute per user, with bursts of `burst`. Thread-safe.
#pragma once

#include <mutex>
#include <string_view>

#include "core/clock.h"
#include "web/keyed_buckets.h"

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
  Clock& clock_;
  std::mutex mu_;
  KeyedBuckets users_, addresses_;
};

struct TestNotificationLimitsConfig {
  double per_minute = 5, burst = 5;
};

class TestNotificationLimits {
 public:
  explicit TestNotificationLimits(TestNotificationLimitsConfig config = {},
                                  Clock& clock = SystemClock::instance());

  // True (and counted) when `user` may ask for one more test notification now.
  bool try_take(std::string_view user);

 private:
  Clock& clock_;
  std::mutex mu_;
  KeyedBuckets users_;
};

}  // namespace fmn::web
