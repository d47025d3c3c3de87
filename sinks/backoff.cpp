#include "sinks/backoff.h"

#include <algorithm>
#include <cmath>

namespace fmn::sinks {

std::chrono::milliseconds BackoffPolicy::delay(uint32_t attempt, double unit_random) const {
  const double exponent = static_cast<double>(std::max<uint32_t>(attempt, 1) - 1);
  const double base =
      std::min(static_cast<double>(initial.count()) * std::pow(multiplier, exponent),
               static_cast<double>(max.count()));
  const double jittered = base * (1.0 - jitter * std::clamp(unit_random, 0.0, 1.0));
  return std::chrono::milliseconds(static_cast<int64_t>(jittered));
}

}  // namespace fmn::sinks
