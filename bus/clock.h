// The time seam of the bus layer: pacing asks a Clock what time it is and to wait, so unit tests
// substitute a fake clock and never sleep for real.
//
// SystemClock is stateless and thread-safe; fakes are used by one thread.
#pragma once

#include <chrono>
#include <thread>

namespace fmn::bus {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual time_point now() const = 0;
  // Returns at or after `t` (at once when `t` has passed).
  virtual void sleep_until(time_point t) = 0;
};

class SystemClock : public Clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
  void sleep_until(time_point t) override { std::this_thread::sleep_until(t); }

  // A process-wide instance, for callers that do not inject one.
  static SystemClock& instance() {
    static SystemClock clock;
    return clock;
  }
};

}  // namespace fmn::bus
