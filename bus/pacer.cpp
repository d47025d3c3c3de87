#include "bus/pacer.h"

#include <algorithm>

namespace fmn::bus {

bool Pacer::full_speed() const {
  return options_.mode == PacingOptions::Mode::kFullSpeed ||
         (options_.mode == PacingOptions::Mode::kFixedRate && options_.rate <= 0);
}

Clock::time_point Pacer::due(std::optional<double> timestamp) {
  if (!started_) {
    started_ = true;
    start_ = last_due_ = clock_.steady();
  }
  if (full_speed()) return clock_.steady();
  using Seconds = std::chrono::duration<double>;
  if (options_.mode == PacingOptions::Mode::kFixedRate) {
    // Computed from the start rather than the previous message so rounding never accumulates.
    auto offset = Seconds(static_cast<double>(count_++) / options_.rate);
    return start_ + std::chrono::duration_cast<Clock::duration>(offset);
  }
  if (timestamp && last_timestamp_) {
    double gap =
        std::clamp((*timestamp - *last_timestamp_) / options_.speed, 0.0, options_.max_gap.count());
    last_due_ += std::chrono::duration_cast<Clock::duration>(Seconds(gap));
  }
  if (timestamp && (!last_timestamp_ || *timestamp > *last_timestamp_)) last_timestamp_ = timestamp;
  return last_due_;
}

void Pacer::wait(std::optional<double> timestamp) {
  if (full_speed()) return;
  clock_.sleep_until(due(timestamp));
}

}  // namespace fmn::bus
