#include "web/confirmation_limits.h"

namespace fmn::web {
namespace {

constexpr double kSecondsPerDay = 86400;

}  // namespace

ConfirmationLimits::ConfirmationLimits(ConfirmationLimitsConfig config, Clock& clock)
    : clock_(clock),
      users_(config.per_user / kSecondsPerDay, config.user_burst),
      addresses_(config.per_address / kSecondsPerDay, config.address_burst) {}

bool ConfirmationLimits::try_take(std::string_view user, std::string_view address) {
  const auto now = clock_.steady();
  std::lock_guard lock(mu_);
  sinks::TokenBucket& by_user = users_.at(user, now);
  sinks::TokenBucket& by_address = addresses_.at(address, now);
  // Both must allow it; a refusal by the second does not spend the first's token.
  if (by_user.next_available(now) > now || by_address.next_available(now) > now) return false;
  return by_user.try_take(now) && by_address.try_take(now);
}

TestNotificationLimits::TestNotificationLimits(TestNotificationLimitsConfig config, Clock& clock)
    : clock_(clock), users_(config.per_minute / 60.0, config.burst) {}

bool TestNotificationLimits::try_take(std::string_view user) {
  const auto now = clock_.steady();
  std::lock_guard lock(mu_);
  return users_.at(user, now).try_take(now);
}

}  // namespace fmn::web
