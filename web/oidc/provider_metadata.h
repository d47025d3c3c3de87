// ProviderMetadata: what OpenID Connect Discovery 1.0 says about a provider
// (<issuer>/.well-known/openid-configuration), read once when the relying party starts.
//
// The document must name the configured issuer exactly (Discovery §4.3: otherwise a document
// fetched from one place could speak for another provider), and every endpoint must be https,
// or http on a loopback host (a provider on the same machine, as in the tests).
#pragma once

#include <string>

#include "core/result.h"
#include "web/oidc/http_client.h"

namespace fmn::oidc {

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string userinfo_endpoint;  // empty when the provider has none
};

// Parses a discovery document. Errors (kInvalidConfig) say which member is missing or wrong.
Result<ProviderMetadata> parse_provider_metadata(std::string_view json,
                                                 const std::string& expected_issuer);

// Fetches and parses `<issuer>/.well-known/openid-configuration`.
Result<ProviderMetadata> discover_provider(HttpClient& http, const std::string& issuer);

// True for https URLs and http URLs whose host is 127.0.0.1, [::1] or localhost.
bool is_acceptable_endpoint(std::string_view url);

}  // namespace fmn::oidc
