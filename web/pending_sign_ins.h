// PendingSignIns: the OpenID Connect sign-ins in progress, kept server-side between
// GET /oidc/login and GET /oidc/callback, keyed by their `state`.
//
// Each is used at most once (take() removes it, whatever the callback's outcome), expires after
// `ttl`, and at most `capacity` are held: a new one beyond that evicts the oldest, so requests
// to /oidc/login, which need no session, cannot grow memory without bound. Values hold the
// nonce and PKCE verifier: never logged.
//
// Thread-safe. The Clock outlives the store.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "web/oidc/oidc_client.h"

namespace fmn::web {

struct PendingSignInsConfig {
  std::chrono::seconds ttl{600};  // time to get through the provider's forms
  size_t capacity = 10000;
};

class PendingSignIns {
 public:
  explicit PendingSignIns(PendingSignInsConfig config = {},
                          const Clock& clock = SystemClock::instance());

  // Keeps `pending` under pending.state, evicting expired ones, then the oldest while full.
  void add(oidc::PendingSignIn pending);

  // The sign-in started with `state`, removed; nullopt when unknown, used or expired.
  std::optional<oidc::PendingSignIn> take(std::string_view state);

  size_t size() const;

 private:
  struct Entry {
    oidc::PendingSignIn pending;
    Clock::time_point expires;
  };
  void drop_expired(Clock::time_point now);  // REQUIRES: mu_ held

  const PendingSignInsConfig config_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> by_state_;
  std::multimap<Clock::time_point, std::string> by_expiry_;  // oldest first (one ttl for all)
};

}  // namespace fmn::web
