// JwksCache: the provider's signing keys, fetched from its jwks_uri on first use and again when
// a token names a key id the cache does not hold (providers rotate keys by publishing the new
// one first, so an unknown kid usually means "fetch again").
//
// A refetch happens at most once per `min_refetch_interval`, so tokens with invented kids cannot
// make the relying party hammer the provider; within that interval an unknown kid is refused.
// Thread-safe: one mutex, held across a fetch so concurrent sign-ins fetch once. The HttpClient
// and Clock outlive the cache.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "web/oidc/http_client.h"
#include "web/oidc/jwk_set.h"

namespace fmn::oidc {

class JwksCache {
 public:
  JwksCache(HttpClient& http, std::string jwks_uri, const Clock& clock,
            std::chrono::seconds min_refetch_interval = std::chrono::seconds(10));

  // The keys a token with this `kid` may have been signed with: the one key with that id, or
  // when `kid` is empty every key of `type` (a provider with a single key may omit kids). Empty
  // when none matches even after a permitted refetch. An Error (kIo, kMalformedJson) while no
  // fetch has succeeded yet: the last fetch's, repeated until the next one is permitted.
  Result<std::vector<Jwk>> keys_for(const std::string& kid, KeyType type);

 private:
  std::vector<Jwk> matching(const std::string& kid, KeyType type) const;  // REQUIRES: mu_ held
  Result<std::vector<Jwk>> fetch();

  HttpClient& http_;
  const std::string jwks_uri_;
  const Clock& clock_;
  const std::chrono::seconds min_refetch_interval_;

  std::mutex mu_;
  std::vector<Jwk> keys_;
  std::optional<Clock::time_point> last_fetch_;
  std::optional<Error> last_error_;  // of the last fetch, when it failed
};

}  // namespace fmn::oidc
