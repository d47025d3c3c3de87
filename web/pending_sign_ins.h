// PendingSignIns: the OpenID Connect sign-ins in progress, kept server-side between
// GET /oidc/login and GET /oidc/callback, keyed by their `state`.
//
// Each is used at most once (take() removes it, whatever the callback's outcome), expires after
// `ttl`, and at most `capacity` are held: a new one beyond that evicts the oldest, so requests
// to /oidc/login, which need no session, cannot grow memory without bound. Values hold the
// nonce and PKCE verifier: never logged.
//
// Two stores: MemoryPendingSignIns (this process) and RedisPendingSignIns (shared by every web
// instance using the Redis, so a sign-in may start on one and come back to another). Both are
// thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "web/oidc/oidc_client.h"

namespace fmn::web {

struct PendingSignInsConfig {
  std::chrono::seconds ttl{600};  // time to get through the provider's forms
  size_t capacity = 10000;
};

class PendingSignIns {
 public:
  virtual ~PendingSignIns() = default;

  // Keeps `pending` under pending.state, evicting expired ones, then the oldest while full. A
  // second sign-in with a state already held is dropped (states are 32 random bytes: a repeat
  // is an attempt). Errors: kIo when a shared store cannot be reached.
  virtual Result<bool> add(oidc::PendingSignIn pending) = 0;

  // The sign-in started with `state`, removed; nullopt when unknown, used or expired.
  virtual Result<std::optional<oidc::PendingSignIn>> take(std::string_view state) = 0;
};

}  // namespace fmn::web
