// OidcConfig: how fmn signs people in with an OpenID provider (docs/web.md, "Configuring OpenID
// Connect"). A plain value; OidcClient::create() checks it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace fmn::oidc {

struct OidcConfig {
  // The provider's issuer identifier, e.g. "https://id.fedoraproject.org/openidc"; discovery
  // reads <issuer>/.well-known/openid-configuration. https, or http on a loopback host.
  std::string issuer;
  std::string client_id;
  // Sent to the token endpoint only (HTTP Basic). A secret: never logged or quoted in errors.
  std::string client_secret;
  // The app's callback, registered with the provider: https://<public base URL>/oidc/callback.
  std::string redirect_uri;
  // The claim whose value is the fmn user name. Fedora's accounts put the FAS user name in
  // preferred_username; "sub" is the provider's own stable identifier.
  std::string username_claim = "preferred_username";
  // Requested scopes; must contain "openid". "profile" carries preferred_username.
  std::vector<std::string> scopes = {"openid", "profile"};
  // Clock skew tolerated on exp, iat and nbf.
  std::chrono::seconds leeway{60};
};

}  // namespace fmn::oidc
