// OidcProvider: a real OpenID provider (npm's oidc-provider, pinned by tests/support/oidc/
// package-lock.json) on 127.0.0.1:<free port>, for the sign-in tests.
//
// start() first makes sure the pinned packages are installed under <build>/oidc-provider
// (`npm ci`, once per lockfile change, under a file lock so parallel tests install once; it
// needs the npm registry the first time), then runs tests/support/oidc/provider.mjs there. The
// provider knows two confidential clients (below) redirecting to `redirect_uri`, and the
// accounts "alice" and "bob" (sub "a7f3c1e0-alice" and "b91d2e44-bob", preferred_username
// their login). Move-only; not thread-safe.
//
//   auto idp = OidcProvider::start({.redirect_uri = "http://127.0.0.1:9/oidc/callback"});
//   ASSERT_TRUE(idp.ok()) << idp.error().message;
//   config.issuer = idp->issuer();
#pragma once

#include <string>

#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

struct OidcTestClient {
  const char* id;
  const char* secret;
};
// ID tokens signed with RS256, and with ES256.
inline constexpr OidcTestClient kOidcRs256Client{"fmn-rs256", "fmn-rs256-secret-0123456789abcdef"};
inline constexpr OidcTestClient kOidcEs256Client{"fmn-es256", "fmn-es256-secret-0123456789abcdef"};

struct OidcProviderOptions {
  std::string redirect_uri{};
  // false: the ID token carries only sub and the protocol claims, and preferred_username is
  // served by the userinfo endpoint alone (oidc-provider's conformIdTokenClaims).
  bool claims_in_id_token = true;
};

class OidcProvider {
 public:
  static Result<OidcProvider> start(OidcProviderOptions options);

  std::string issuer() const;  // "http://127.0.0.1:<port>"
  std::string log_text() const { return process_.log_text(); }

 private:
  OidcProvider(TempDir dir, ServerProcess process, int port)
      : dir_(std::move(dir)), process_(std::move(process)), port_(port) {}

  TempDir dir_;  // the log; declared first: outlives the server writing to it
  ServerProcess process_;
  int port_;
};

}  // namespace fmn::test
