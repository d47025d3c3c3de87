// A token bucket for flood control: `rate` tokens a second, holding at most `burst`. Starts
// full. A value type driven by the caller's clock; one thread at a time.
#pragma once

#include <chrono>

namespace fmn::sinks {

class TokenBucket {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  TokenBucket(double rate_per_second, double burst, time_point now)
      : rate_(rate_per_second), burst_(burst), tokens_(burst), updated_(now) {}

  // Takes a token if one is available at `now`.
  bool try_take(time_point now);
  // When the next token will be available (now, when one already is).
  time_point next_available(time_point now);

 private:
  void refill(time_point now);
  double rate_, burst_, tokens_;
  time_point updated_;
};

}  // namespace fmn::sinks
