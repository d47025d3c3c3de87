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
  std::vector<Jwk> found = matching(kid, type);
  const bool may_fetch = !last_fetch_ || clock_.steady() - *last_fetch_ >= min_refetch_interval_;
  if (!found.empty() || !may_fetch) {
    if (found.empty() && keys_.empty() && last_error_) return *last_error_;
    return found;
  }
  last_fetch_ = clock_.steady();
  auto keys = fetch();
  if (!keys) {
    log::warn("oidc_jwks_fetch_failed", {{"error", keys.error().message}});
    last_error_ = keys.error();
    if (keys_.empty()) return keys.error();
    return found;  // the cached keys stay; none has this kid
  }
  last_error_.reset();
  keys_ = std::move(keys).value();
  log::info("oidc_jwks_fetched", {{"keys", static_cast<int64_t>(keys_.size())}});
  return matching(kid, type);
}

}  // namespace fmn::oidc
