#include "web/confirmation_limits.h"

#include <array>
#include <string>

#include "web/memory_rate_buckets.h"

namespace fmn::web {
namespace {

constexpr double kSecondsPerDay = 86400;

}  // namespace

ConfirmationLimits::ConfirmationLimits(ConfirmationLimitsConfig config, Clock& clock)
    : ConfirmationLimits(config, std::make_shared<MemoryRateBuckets>(clock)) {}

Take ConfirmationLimits::try_take(std::string_view user, std::string_view address) {
  const std::string user_key = "confirm:user:" + std::string(user);
  const std::string address_key = "confirm:address:" + std::string(address);
  const std::array<BucketTake, 2> buckets{
      BucketTake{user_key, config_.per_user / kSecondsPerDay, config_.user_burst},
      BucketTake{address_key, config_.per_address / kSecondsPerDay, config_.address_burst}};
  return buckets_->take_all(buckets);
}

TestNotificationLimits::TestNotificationLimits(TestNotificationLimitsConfig config, Clock& clock)
    : TestNotificationLimits(config, std::make_shared<MemoryRateBuckets>(clock)) {}

Take TestNotificationLimits::try_take(std::string_view user) {
  const std::string key = "test:user:" + std::string(user);
  const std::array<BucketTake, 1> buckets{
      BucketTake{key, config_.per_minute / 60.0, config_.burst}};
  return buckets_->take_all(buckets);
}

}  // namespace fmn::web
