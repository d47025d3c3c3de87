#include "sinks/delivery_history.h"

#include <array>
#include <utility>

#include "sinks/memory_delivery_history.h"
#include "sinks/redis_delivery_history.h"

namespace fmn::sinks {
namespace {

constexpr std::array<std::pair<DeliveryStatus, std::string_view>, 5> kNames{{
    {DeliveryStatus::kSent, "sent"},
    {DeliveryStatus::kPendingDigest, "pending_digest"},
    {DeliveryStatus::kFailed, "failed"},
    {DeliveryStatus::kDeadLettered, "dead_lettered"},
    {DeliveryStatus::kMuted, "muted"},
}};

}  // namespace

std::string_view delivery_status_name(DeliveryStatus status) {
  for (const auto& [s, name] : kNames) {
    if (s == status) return name;
  }
  return "unknown";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view name) {
  for (const auto& [s, n] : kNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

std::shared_ptr<DeliveryHistory> open_delivery_history(const std::optional<RedisConfig>& redis,
                                                       DeliveryHistoryLimits limits) {
  if (!redis) return std::make_shared<MemoryDeliveryHistory>(limits);
  return std::make_shared<RedisDeliveryHistory>(*redis, limits);
}

}  // namespace fmn::sinks
