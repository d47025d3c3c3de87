// A Clock tests move by hand.
#pragma once

#include "sinks/clock.h"

namespace fmn::sinks::testing {

class FakeClock : public Clock {
 public:
  std::chrono::steady_clock::time_point steady() const override { return steady_; }
  std::chrono::system_clock::time_point wall() const override { return wall_; }
  void advance(std::chrono::steady_clock::duration d) {
    steady_ += d;
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }

 private:
  std::chrono::steady_clock::time_point steady_{std::chrono::hours(1)};
  std::chrono::system_clock::time_point wall_{std::chrono::seconds(1714564800)};
};

}  // namespace fmn::sinks::testing
