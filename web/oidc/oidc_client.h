// OidcClient: fmn as an OpenID Connect relying party, authorization-code flow with PKCE (S256).
//
//   auto client = OidcClient::create(config);           // discovery; fails fast on bad config
//   auto start = client->begin();                       // redirect the browser to start->url,
//                                                       // keep start->pending in the session
//   ... the provider redirects back to redirect_uri?code=...&state=...
//   auto who = client->finish({code, state, iss}, pending);  // who->username, or an Error
//
// begin() draws a fresh state, nonce and code verifier (32 random bytes each, random_token.h).
// finish() checks the returned state against the pending one, exchanges the code at the token
// endpoint (client_secret_basic, with the code verifier), verifies the ID token
// (id_token_verifier.h) and reads the user name from the configured claim, asking the userinfo
// endpoint when the ID token lacks it (its "sub" must match). A pending sign-in must be used
// once: the caller drops it from the session whatever finish() returns.
//
// Errors: kBadEnvelope when the sign-in is refused (state, code, token, claims: start again);
// any other code when the provider failed — kIo unreachable or a server error, kTooLarge or
// kMalformedJson a document it should not have sent (a later retry may help). Messages name
// the failed step, never a code, token, verifier or the client secret. Each outcome is logged
// and counted in fmn_oidc_sign_ins_total{outcome="ok|refused|provider_error"}.
//
// Thread-safe: begin() and finish() may run on any number of threads. The Clock and Registry
// outlive the client.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/metrics.h"
#include "core/result.h"
#include "web/oidc/http_client.h"
#include "web/oidc/jwks_cache.h"
#include "web/oidc/oidc_config.h"
#include "web/oidc/provider_metadata.h"

namespace fmn::oidc {

// What a sign-in in progress must remember between begin() and finish(): keep it server-side
// or in an encrypted, signed session, never in a readable cookie.
struct PendingSignIn {
  std::string state;
  std::string nonce;
  std::string code_verifier;
};

struct SignInStart {
  std::string url;  // the provider's authorization endpoint with the request's parameters
  PendingSignIn pending;
};

// The query parameters of the request to redirect_uri.
struct Callback {
  std::string code;
  std::string state;
  std::string iss;  // RFC 9207; checked when present
};

struct Identity {
  std::string subject;      // "sub": stable at this provider
  std::string username;     // the configured claim
  std::string claims_json;  // every ID-token claim, a JSON object
};

class OidcClient {
 public:
  // Checks `config` and runs discovery. Errors: kInvalidConfig (a field missing or not
  // acceptable, or a discovery document that does not fit), kIo (the provider unreachable).
  static Result<std::unique_ptr<OidcClient>> create(
      OidcConfig config, std::unique_ptr<HttpClient> http = make_curl_http_client(),
      const Clock& clock = SystemClock::instance(), metrics::Registry* registry = nullptr);

  Result<SignInStart> begin() const;
  Result<Identity> finish(const Callback& callback, const PendingSignIn& pending);

 private:
  OidcClient(OidcConfig config, std::unique_ptr<HttpClient> http, ProviderMetadata provider,
             const Clock& clock, metrics::Registry* registry);
  Result<Identity> sign_in(const Callback& callback, const PendingSignIn& pending);
  Result<std::string> username_from_userinfo(const std::string& access_token,
                                             const std::string& subject);

  const OidcConfig config_;
  const std::unique_ptr<HttpClient> http_;
  const ProviderMetadata provider_;
  const Clock& clock_;
  JwksCache keys_;
  std::unique_ptr<metrics::Registry> own_registry_;  // when none is given
  metrics::Counter& ok_;
  metrics::Counter& refused_;
  metrics::Counter& provider_error_;
};

}  // namespace fmn::oidc
