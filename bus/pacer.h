// When each message of a replay may go out: as fast as possible, at a fixed rate, or following
// the recorded timestamps scaled by a speed factor.
//
// A Pacer only computes due times (time points of its Clock); the caller sleeps until them.
// Recorded pacing keeps the intervals between consecutive timestamps, divided by `speed`
// (2 = twice as fast as recorded) and capped at `max_gap`, so a corpus spanning years still plays
// in seconds. A message without a timestamp, or with one earlier than its predecessor's, is due
// together with its predecessor. When the caller falls behind, due times stay in the past and
// messages go out at once until it catches up, so the average rate holds.
//
// Thread-compatible: one thread uses a Pacer.
#pragma once

#include <chrono>
#include <optional>

#include "core/clock.h"

namespace fmn::bus {

struct PacingOptions {
  enum class Mode { kFullSpeed, kFixedRate, kRecorded };
  Mode mode = Mode::kFullSpeed;
  double rate = 0;     // messages per second (kFixedRate); <= 0 means full speed
  double speed = 1.0;  // kRecorded: recorded time divided by this; must be > 0
  std::chrono::duration<double> max_gap = std::chrono::seconds(10);  // kRecorded: longest wait

  static PacingOptions fixed_rate(double rate) {
    PacingOptions o;
    o.mode = Mode::kFixedRate;
    o.rate = rate;
    return o;
  }
  static PacingOptions recorded(double speed) {
    PacingOptions o;
    o.mode = Mode::kRecorded;
    o.speed = speed;
    return o;
  }
};

class Pacer {
 public:
  Pacer(const PacingOptions& options, Clock& clock) : options_(options), clock_(clock) {}

  // True when due() is always "now" and callers may skip asking.
  bool full_speed() const;

  // The time at which the next message, recorded at `timestamp` (seconds since the epoch), may go
  // out. Call once per message, in order. The first message is due at the first call.
  Clock::time_point due(std::optional<double> timestamp);

  // Sleeps until the next message is due (a no-op at full speed).
  void wait(std::optional<double> timestamp);

  Clock& clock() { return clock_; }

 private:
  PacingOptions options_;
  Clock& clock_;
  bool started_ = false;
  Clock::time_point start_{};
  Clock::time_point last_due_{};
  uint64_t count_ = 0;
  std::optional<double> last_timestamp_;
};

}  // namespace fmn::bus
