// Exponential backoff with jitter for retrying temporary delivery failures.
//
// Attempt n (1-based) waits initial * multiplier^(n-1), capped at `max`, minus up to `jitter`
// of it at random, so many failed deliveries do not retry in lock-step. After
// `max_attempts` attempts the item is given up (recorded as failed). A value type; delay() is
// const, the randomness comes from the caller.
#pragma once

#include <chrono>
#include <cstdint>

namespace fmn::sinks {

struct BackoffPolicy {
  std::chrono::milliseconds initial{1000};
  std::chrono::milliseconds max{300'000};
  double multiplier = 2.0;
  double jitter = 0.25;  // fraction of the delay removed at random, in [0, 1]
  uint32_t max_attempts = 10;

  // The wait after failed attempt number `attempt` (>= 1). `unit_random` in [0, 1).
  std::chrono::milliseconds delay(uint32_t attempt, double unit_random) const;
};

}  // namespace fmn::sinks
