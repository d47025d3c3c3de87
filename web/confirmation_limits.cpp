#include "web/confirmation_limits.h"

namespace fmn::web {
namespace {

constexpr double kSecondsPerDay = 86400;

}  // namespace

ConfirmationLimits::ConfirmationLimits(ConfirmationLimitsConfig config, Clock& clock)
    : config_(config), clock_(clock) {}

sinks::TokenBucket& ConfirmationLimits::bucket(
    std::unordered_map<std::string, sinks::TokenBucket>& buckets, std::string_view key,
    double per_day, double burst, Clock::time_point now) {
  auto it = buckets.find(std::string(key));
  if (it == buckets.end()) {
    it = buckets.emplace(std::string(key), sinks::TokenBucket(per_day / kSecondsPerDay, burst, now))
             .first;
  }
  return it->second;
}

bool ConfirmationLimits::try_take(std::string_view user, std::string_view address) {
  const auto now = clock_.steady();
  std::lock_guard lock(mu_);
  sinks::TokenBucket& by_user = bucket(users_, user, config_.per_user, config_.user_burst, now);
  sinks::TokenBucket& by_address =
      bucket(addresses_, address, config_.per_address, config_.address_burst, now);
  // Both must allow it; a refusal by the second does not spend the first's token.
  if (by_user.next_available(now) > now || by_address.next_available(now) > now) return false;
  return by_user.try_take(now) && by_address.try_take(now);
}

}  // namespace fmn::web
