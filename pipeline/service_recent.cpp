// The recent-message store of a running service: which parts it has, and their metrics.
#include "core/log.h"
#include "pipeline/service_impl.h"

namespace fmn::pipeline {

Result<bool> Service::Impl::open_recent_messages() {
  const RecentStoreParts parts = recent_store_parts(config);
  if (!parts.memory && !parts.writes_redis) return true;  // nobody would read it
  sinks::RecentMessagesConfig limits;
  limits.max_messages = config.recent_max_messages;
  limits.max_age = std::chrono::seconds(static_cast<int64_t>(config.recent_max_age_hours * 3600));
  std::unique_ptr<sinks::RedisRecentMessages> redis;
  if (!config.redis.empty()) {
    sinks::RedisConfig redis_config;
    split_host_port(config.redis, redis_config.host, redis_config.port);
    redis = std::make_unique<sinks::RedisRecentMessages>(redis_config, limits);
  }
  if (parts.memory) recent = std::make_shared<sinks::RecentMessages>(limits);
  recent_recorder = std::make_unique<RecentRecorder>(recent, std::move(redis), parts.writes_redis,
                                                     *meta, config.recent_queue);
  log::info("recent_messages", {{"max_messages", limits.max_messages},
                                {"max_age_hours", config.recent_max_age_hours},
                                {"memory", recent ? "yes" : "no"},
                                {"redis", config.redis.empty() ? "no" : config.redis}});
  return true;
}

void Service::Impl::register_recent_metrics() {
  if (!recent_recorder) return;
  const RecentRecorderCounters& c = recent_recorder->counters();
  auto counter = [&](const char* name, const char* help, const std::atomic<uint64_t>& value) {
    registry.counter_fn(name, help, [&value] { return static_cast<double>(value.load()); });
  };
  counter("fmn_recent_recorded_total", "Messages added to the recent-message store.", c.recorded);
  counter("fmn_recent_dropped_total",
          "Messages not added to the recent-message store because its queue was full.", c.dropped);
  counter("fmn_recent_redis_errors_total",
          "Failed reads and writes of the recent-message store's copy in Redis.", c.redis_errors);
  if (recent) {
    registry.gauge_fn("fmn_recent_messages", "Messages held by the recent-message store.",
                      [ring = recent] { return static_cast<double>(ring->size()); });
  }
}

}  // namespace fmn::pipeline
