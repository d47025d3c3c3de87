// Verification of an ID token as OpenID Connect Core 1.0 §3.1.3.7 asks of a relying party
// using the authorization-code flow:
//
//   signature   RS256 or ES256 (jws.h) by a key of the provider's JWKS (jwks_cache.h)
//   iss         exactly the configured issuer
//   aud         contains the client id; with several audiences, azp must be present
//   azp         when present, the client id
//   exp         in the future; iat not in the future; nbf, when present, passed (all +- leeway)
//   nonce       exactly the nonce this sign-in sent
//   sub         present and not empty
//
// Refusals are Errors with code kBadEnvelope whose message names the failed check, never the
// token or any claim value; fetch failures keep the JwksCache's code (kIo...). Thread-safe when
// the JwksCache is (it is).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"
#include "web/oidc/jwks_cache.h"

namespace fmn::oidc {

struct IdTokenExpectations {
  std::string issuer;
  std::string client_id;
  std::string nonce;
  std::chrono::seconds leeway{60};  // clock skew tolerated between provider and relying party
};

struct VerifiedIdToken {
  std::string subject;      // "sub"
  std::string claims_json;  // the whole payload, a JSON object
};

Result<VerifiedIdToken> verify_id_token(std::string_view token, const IdTokenExpectations& want,
                                        JwksCache& keys, std::chrono::system_clock::time_point now);

}  // namespace fmn::oidc
