// The RedisConfig that reaches a test's RedisServer, for the Redis-backed stores under test.
#pragma once

#include "sinks/redis_connection.h"
#include "tests/support/redis_server.h"

namespace fmn::test {

inline sinks::RedisConfig redis_config(const RedisServer& redis) {
  sinks::RedisConfig config;
  config.host = redis.host();
  config.port = redis.port();
  return config;
}

}  // namespace fmn::test
