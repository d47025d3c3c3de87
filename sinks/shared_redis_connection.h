// SharedRedisConnection: one Redis connection that callers on any thread take turns on, opened on
// first use and opened again after a failure. Redis being down when a component starts delays
// nothing: each call fails with kIo until the server answers again.
//
// Thread-safe (a mutex around each call); a call holds the connection for its one round trip.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/redis_connection.h"

namespace fmn::sinks {

class SharedRedisConnection {
 public:
  explicit SharedRedisConnection(RedisConfig config) : config_(std::move(config)) {}
  ~SharedRedisConnection();

  // RedisConnection::command() on the connection, opening it first if needed.
  Result<RedisReply> command(const std::vector<std::string_view>& argv);
  // RedisConnection::transaction() on the connection, opening it first if needed.
  Result<RedisReply> transaction(const std::vector<std::vector<std::string_view>>& commands);

  const RedisConfig& config() const { return config_; }
  std::string describe() const;

 private:
  Result<RedisConnection*> connection();  // REQUIRES: mu_ held

  const RedisConfig config_;
  std::mutex mu_;
  std::unique_ptr<RedisConnection> redis_;  // null until connected, and after a failure
};

}  // namespace fmn::sinks
