// The RedisConfig that reaches a test's RedisServer, for the web app's Redis-backed stores.
#pragma once

#include "sinks/redis_connection.h"
#include "tests/support/redis_server.h"

namespace fmn::web {

inline sinks::RedisConfig redis_config(const test::RedisServer& redis) {
  sinks::RedisConfig config;
  config.host = redis.host();
  config.port = redis.port();
  return config;
}

}  // namespace fmn::web
