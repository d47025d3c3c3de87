// RedisSessionStore: sessions (session_store.h) in Redis, so every web instance using the same
// Redis knows every session and a sign-out anywhere ends it everywhere:
//   <prefix>web:session:<hex SHA-256 of the id>   hash {d: the digest again, u: user,
//                                                  c: CSRF token}, expiring after `lifetime`
// The raw id is never sent to Redis. A lookup reads the key named by the digest and compares
// the stored digest in constant time, as MemorySessionStore does. Redis down: each call fails
// with kIo (the app answers 503) until it is back. Thread-safe; `redis` is shared with the
// app's other Redis users and outlives the store.
#pragma once

#include <chrono>
#include <memory>

#include "sinks/shared_redis_connection.h"
#include "web/session_store.h"

namespace fmn::web {

class RedisSessionStore : public SessionStore {
 public:
  RedisSessionStore(std::shared_ptr<sinks::SharedRedisConnection> redis,
                    std::chrono::seconds lifetime = std::chrono::hours(12));

  Result<NewSession> create(std::string user) override;
  Result<std::optional<Session>> find(std::string_view id) override;
  Result<bool> remove(std::string_view id) override;

 private:
  std::string key(std::string_view hex_digest) const;

  const std::shared_ptr<sinks::SharedRedisConnection> redis_;
  const std::chrono::seconds lifetime_;
};

}  // namespace fmn::web
