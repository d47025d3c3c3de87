#include "sinks/shared_redis_connection.h"

namespace fmn::sinks {

SharedRedisConnection::~SharedRedisConnection() = default;

std::string SharedRedisConnection::describe() const {
  return "redis " + config_.host + ":" + std::to_string(config_.port);
}

Result<RedisConnection*> SharedRedisConnection::connection() {
  if (redis_ == nullptr) {
    auto opened = RedisConnection::open(config_);
    if (!opened) return opened.error();
    redis_ = std::move(opened).value();
  }
  return redis_.get();
}

Result<RedisReply> SharedRedisConnection::command(const std::vector<std::string_view>& argv) {
  std::lock_guard lock(mu_);
  auto redis = connection();
  if (!redis) return redis.error();
  auto reply = (*redis)->command(argv);
  if (!reply) redis_.reset();  // the next call connects afresh
  return reply;
}

Result<RedisReply> SharedRedisConnection::transaction(
    const std::vector<std::vector<std::string_view>>& commands) {
  std::lock_guard lock(mu_);
  auto redis = connection();
  if (!redis) return redis.error();
  auto reply = (*redis)->transaction(commands);
  if (!reply) redis_.reset();
  return reply;
}

}  // namespace fmn::sinks
