#include "web/oidc/jwks_cache.h"

#include "core/log.h"

namespace fmn::oidc {

JwksCache::JwksCache(HttpClient& http, std::string jwks_uri, const Clock& clock,
                     std::chrono::seconds min_refetch_interval)
    : http_(http),
      jwks_uri_(std::move(jwks_uri)),
      clock_(clock),
      min_refetch_interval_(min_refetch_interval) {}

std::vector<Jwk> JwksCache::matching(const std::string& kid, KeyType type) const {
  std::vector<Jwk> out;
  for (const Jwk& key : keys_) {
    if (kid.empty() ? key.type == type : key.kid == kid) out.push_back(key);
  }
  return out;
}

Result<std::vector<Jwk>> JwksCache::fetch() {
  auto response = http_.get(jwks_uri_);
  if (!response) return response.error();
  if (response->status != 200) {
    return Error{ErrorCode::kIo, jwks_uri_ + ": HTTP status " + std::to_string(response->status)};
  }
  return parse_jwk_set(response->body);
}

Result<std::vector<Jwk>> JwksCache::keys_for(const std::string& kid, KeyType type) {
  std::lock_guard lock(mu_);
  if (last_fetch_) {
    std::vector<Jwk> found = matching(kid, type);
    if (!found.empty() || clock_.steady() - *last_fetch_ < min_refetch_interval_) return found;
  }
  const bool first = !last_fetch_;
  last_fetch_ = clock_.steady();
  auto keys = fetch();
  if (!keys) {
    log::warn("oidc_jwks_fetch_failed", {{"error", keys.error().message}});
    if (first) return keys.error();
    return matching(kid, type);
  }
  keys_ = std::move(keys).value();
  log::info("oidc_jwks_fetched", {{"keys", static_cast<int64_t>(keys_.size())}});
  return matching(kid, type);
}

}  // namespace fmn::oidc
