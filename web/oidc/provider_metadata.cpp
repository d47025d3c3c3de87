#include "web/oidc/provider_metadata.h"

#include "web/oidc/json_object.h"

namespace fmn::oidc {
namespace {

Error config_error(const std::string& text) {
  return Error{ErrorCode::kInvalidConfig, "OpenID provider discovery: " + text};
}

}  // namespace

bool is_acceptable_endpoint(std::string_view url) {
  if (url.starts_with("https://")) return url.size() > 8;
  if (!url.starts_with("http://")) return false;
  std::string_view rest = url.substr(7);
  for (std::string_view host : {"127.0.0.1", "[::1]", "localhost"}) {
    if (rest.starts_with(host) &&
        (rest.size() == host.size() || rest[host.size()] == ':' || rest[host.size()] == '/')) {
      return true;
    }
  }
  return false;
}

Result<ProviderMetadata> parse_provider_metadata(std::string_view json,
                                                 const std::string& expected_issuer) {
  auto doc = parse_json_object(json, "the discovery document");
  if (!doc) return config_error(doc.error().message);
  ProviderMetadata meta;
  meta.issuer = string_member(*doc, "issuer").value_or("");
  if (meta.issuer != expected_issuer) {
    return config_error("the document names issuer '" + meta.issuer + "', configured is '" +
                        expected_issuer + "'");
  }
  struct Endpoint {
    const char* name;
    std::string* field;
    bool required;
  };
  for (const Endpoint& e : {Endpoint{"authorization_endpoint", &meta.authorization_endpoint, true},
                            Endpoint{"token_endpoint", &meta.token_endpoint, true},
                            Endpoint{"jwks_uri", &meta.jwks_uri, true},
                            Endpoint{"userinfo_endpoint", &meta.userinfo_endpoint, false}}) {
    *e.field = string_member(*doc, e.name).value_or("");
    if (e.field->empty() && !e.required) continue;
    if (e.field->empty()) return config_error(std::string("no ") + e.name);
    if (!is_acceptable_endpoint(*e.field)) {
      return config_error(std::string(e.name) + " '" + *e.field +
                          "' is neither https nor on a loopback host");
    }
  }
  return meta;
}

Result<ProviderMetadata> discover_provider(HttpClient& http, const std::string& issuer) {
  std::string url = issuer;
  if (url.ends_with('/')) url.pop_back();
  url += "/.well-known/openid-configuration";
  auto response = http.get(url);
  if (!response) return response.error();
  if (response->status != 200) {
    return Error{ErrorCode::kIo, url + ": HTTP status " + std::to_string(response->status)};
  }
  return parse_provider_metadata(response->body, issuer);
}

}  // namespace fmn::oidc
