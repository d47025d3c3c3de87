// A Clock for tests: time moves only when someone sleeps, and every sleep is recorded.
#pragma once

#include <vector>

#include "bus/clock.h"

namespace fmn::bus {

class FakeClock : public Clock {
 public:
  time_point now() const override { return now_; }
  void sleep_until(time_point t) override {
    sleeps_.push_back(t - now_);
    if (t > now_) now_ = t;
  }
  void advance(duration d) { now_ += d; }
  // How long each sleep_until() call asked to wait, from the time it was called.
  const std::vector<duration>& sleeps() const { return sleeps_; }
  double seconds_since_start() const {
    return std::chrono::duration<double>(now_ - time_point{}).count();
  }

 private:
  time_point now_{};
  std::vector<duration> sleeps_;
};

}  // namespace fmn::bus
