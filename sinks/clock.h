// The time seam of the sinks: retries, digests and flood control ask a Clock for the time, so
// unit tests drive time by hand and never sleep.
//
// SystemClock is stateless and thread-safe.
#pragma once

#include <chrono>

namespace fmn::sinks {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time, for deadlines and intervals.
  virtual std::chrono::steady_clock::time_point steady() const = 0;
  // Wall-clock time, for Date headers and timestamps people read.
  virtual std::chrono::system_clock::time_point wall() const = 0;
};

class SystemClock : public Clock {
 public:
  std::chrono::steady_clock::time_point steady() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point wall() const override {
    return std::chrono::system_clock::now();
  }
  static SystemClock& instance() {
    static SystemClock clock;
    return clock;
  }
};

}  // namespace fmn::sinks
