// A Clock for unit tests: time moves only when the test advances it or the code under test
// sleeps (a sleep returns at once, having moved time to its deadline), and every sleep is
// recorded. Wall time moves with steady time. Used by one thread at a time.
#pragma once

#include <vector>

#include "core/clock.h"

namespace fmn::test {

class FakeClock : public Clock {
 public:
  time_point steady() const override { return steady_; }
  std::chrono::system_clock::time_point wall() const override {
    return kWallStart +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(steady_ - kSteadyStart);
  }
  void sleep_until(time_point t) override {
    sleeps_.push_back(t - steady_);
    if (t > steady_) steady_ = t;
  }

  void advance(duration d) { steady_ += d; }
  // How long each sleep_until() call asked to wait, from the time it was called.
  const std::vector<duration>& sleeps() const { return sleeps_; }
  double seconds_since_start() const {
    return std::chrono::duration<double>(steady_ - kSteadyStart).count();
  }

 private:
  // Not zero, so code that treats a default time_point as "never" sees a real time.
  static constexpr time_point kSteadyStart{std::chrono::hours(1)};
  static constexpr std::chrono::system_clock::time_point kWallStart{
      std::chrono::seconds(1714564800)};  // 2024-05-01T12:00:00Z
  time_point steady_ = kSteadyStart;
  std::vector<duration> sleeps_;
};

}  // namespace fmn::test
