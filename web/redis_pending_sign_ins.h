// RedisPendingSignIns: pending sign-ins (pending_sign_ins.h) in Redis, so the provider may send
// the browser back to any web instance using the same Redis:
//   <prefix>web:sign-in:<hex SHA-256 of the state>  hash {d: the digest again, n: nonce,
//                                                   v: PKCE verifier, e: expiry (unix ms)}
//   <prefix>web:sign-ins                            sorted set of those keys by expiry
// The state itself is never sent to Redis. add() and take() are one server-side script each
// (one round trip, atomic across instances): add() drops the expired, evicts the oldest while
// `capacity` are held and keeps the new one; take() reads and deletes, and hands out an entry
// only when its stored digest matches (constant-time) and it has not expired by `clock`'s wall
// time. Keys also expire in Redis after `ttl`, so nothing lingers. Thread-safe; `redis` and
// the Clock outlive the store.
#pragma once

#include <memory>

#include "core/clock.h"
#include "sinks/shared_redis_connection.h"
#include "web/pending_sign_ins.h"

namespace fmn::web {

class RedisPendingSignIns : public PendingSignIns {
 public:
  RedisPendingSignIns(std::shared_ptr<sinks::SharedRedisConnection> redis,
                      PendingSignInsConfig config = {},
                      const Clock& clock = SystemClock::instance());

  Result<bool> add(oidc::PendingSignIn pending) override;
  Result<std::optional<oidc::PendingSignIn>> take(std::string_view state) override;

 private:
  const std::shared_ptr<sinks::SharedRedisConnection> redis_;
  const PendingSignInsConfig config_;
  const Clock& clock_;
  const std::string index_;
};

}  // namespace fmn::web
