// Clock: the one time seam. Code that paces, waits, retries, batches by time or stamps a time
// people read asks a Clock, so unit tests drive time by hand (tests/support/fake_clock.h) and
// never sleep. Monotonic time (steady) is for deadlines and intervals; wall time is for Date
// headers and timestamps. sleep_until() is for code that paces itself on its own thread.
//
// SystemClock is stateless and thread-safe; a caller that is given no Clock uses
// SystemClock::instance(). A Clock passed by reference outlives whoever holds it.
#pragma once

#include <chrono>
#include <thread>

namespace fmn {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  // Monotonic time, for deadlines and intervals.
  virtual time_point steady() const = 0;
  // Wall-clock time, for Date headers and timestamps people read.
  virtual std::chrono::system_clock::time_point wall() const = 0;
  // Returns at or after steady time `t` (at once when `t` has passed).
  virtual void sleep_until(time_point t) = 0;
};

class SystemClock : public Clock {
 public:
  time_point steady() const override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point wall() const override {
    return std::chrono::system_clock::now();
  }
  void sleep_until(time_point t) override { std::this_thread::sleep_until(t); }

  // A process-wide instance, for callers that do not inject one.
  static SystemClock& instance() {
    static SystemClock clock;
    return clock;
  }
};

}  // namespace fmn
