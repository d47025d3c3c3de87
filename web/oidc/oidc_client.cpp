#include "web/oidc/oidc_client.h"

#include <algorithm>

#include "core/log.h"
#include "core/secret_equal.h"
#include "web/oidc/id_token_verifier.h"
#include "web/oidc/json_object.h"
#include "web/oidc/random_token.h"

namespace fmn::oidc {
namespace {

constexpr char kMetric[] = "fmn_oidc_sign_ins_total";
constexpr char kHelp[] = "OpenID Connect sign-ins finished, by outcome";

Error refused(const std::string& why) { return Error{ErrorCode::kBadEnvelope, why}; }

Result<std::monostate> check_config(const OidcConfig& config) {
  auto bad = [](const std::string& why) -> Result<std::monostate> {
    return Error{ErrorCode::kInvalidConfig, "OpenID Connect: " + why};
  };
  if (config.issuer.empty() || config.client_id.empty() || config.redirect_uri.empty() ||
      config.username_claim.empty()) {
    return bad("issuer, client id, redirect URI and username claim are all required");
  }
  if (config.client_secret.empty()) return bad("no client secret");
  if (!is_acceptable_endpoint(config.issuer)) return bad("the issuer must be an https URL");
  if (!is_acceptable_endpoint(config.redirect_uri)) {
    return bad("the redirect URI must be an https URL");
  }
  if (std::find(config.scopes.begin(), config.scopes.end(), "openid") == config.scopes.end()) {
    return bad("the scopes must contain \"openid\"");
  }
  return std::monostate{};
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

// The provider's error code ("invalid_grant"), which names no secret; the rest of its answer
// is not quoted, as it may echo the request.
std::string provider_error_code(const HttpResponse& response) {
  std::string what = "HTTP status " + std::to_string(response.status);
  auto doc = parse_json_object(response.body, "answer");
  if (!doc) return what;
  auto code = string_member(*doc, "error");
  if (!code) return what;
  code->resize(std::min<size_t>(code->size(), 64));
  return what + ", error " + *code;
}

}  // namespace

Result<std::unique_ptr<OidcClient>> OidcClient::create(OidcConfig config,
                                                       std::unique_ptr<HttpClient> http,
                                                       const Clock& clock,
                                                       metrics::Registry* registry) {
  if (auto ok = check_config(config); !ok) return ok.error();
  auto provider = discover_provider(*http, config.issuer);
  if (!provider) return provider.error();
  log::info("oidc_provider_discovered",
            {{"issuer", provider->issuer}, {"client_id", config.client_id}});
  return std::unique_ptr<OidcClient>(new OidcClient(std::move(config), std::move(http),
                                                    std::move(provider).value(), clock, registry));
}

OidcClient::OidcClient(OidcConfig config, std::unique_ptr<HttpClient> http,
                       ProviderMetadata provider, const Clock& clock, metrics::Registry* registry)
    : config_(std::move(config)),
      http_(std::move(http)),
      provider_(std::move(provider)),
      clock_(clock),
      keys_(*http_, provider_.jwks_uri, clock),
      own_registry_(registry ? nullptr : std::make_unique<metrics::Registry>()),
      ok_((registry ? *registry : *own_registry_).counter(kMetric, kHelp, {{"outcome", "ok"}})),
      refused_((registry ? *registry : *own_registry_)
                   .counter(kMetric, kHelp, {{"outcome", "refused"}})),
      provider_error_((registry ? *registry : *own_registry_)
                          .counter(kMetric, kHelp, {{"outcome", "provider_error"}})) {}

Result<SignInStart> OidcClient::begin() const {
  auto state = random_token();
  auto nonce = random_token();
  auto verifier = random_token();  // 43 characters, within RFC 7636's 43..128
  if (!state || !nonce || !verifier) return Error{ErrorCode::kIo, "the random generator failed"};
  SignInStart start;
  start.pending = {std::move(state).value(), std::move(nonce).value(), std::move(verifier).value()};
  start.url = provider_.authorization_endpoint;
  start.url += provider_.authorization_endpoint.find('?') == std::string::npos ? '?' : '&';
  start.url += "response_type=code&client_id=" + url_encode(config_.client_id) +
               "&redirect_uri=" + url_encode(config_.redirect_uri) +
               "&scope=" + url_encode(join_scopes(config_.scopes)) +
               "&state=" + start.pending.state + "&nonce=" + start.pending.nonce +
               "&code_challenge=" + pkce_challenge_s256(start.pending.code_verifier) +
               "&code_challenge_method=S256";
  return start;
}

Result<Identity> OidcClient::finish(const Callback& callback, const PendingSignIn& pending) {
  auto identity = sign_in(callback, pending);
  if (identity) {
    ok_.inc();
    log::info("oidc_sign_in", {{"username", identity->username}});
  } else if (identity.error().code == ErrorCode::kBadEnvelope) {
    refused_.inc();
    log::warn("oidc_sign_in_refused", {{"reason", identity.error().message}});
  } else {
    provider_error_.inc();
    log::warn("oidc_sign_in_failed", {{"error", identity.error().message}});
  }
  return identity;
}

Result<Identity> OidcClient::sign_in(const Callback& callback, const PendingSignIn& pending) {
  if (pending.state.empty() || !secrets_equal(callback.state, pending.state)) {
    return refused("the state does not match this browser's sign-in");
  }
  if (!callback.iss.empty() && callback.iss != provider_.issuer) {
    return refused("the callback names another issuer");
  }
  if (callback.code.empty()) return refused("no authorization code");

  const std::string form = "grant_type=authorization_code&code=" + url_encode(callback.code) +
                           "&redirect_uri=" + url_encode(config_.redirect_uri) +
                           "&code_verifier=" + url_encode(pending.code_verifier);
  auto response =
      http_->post_form(provider_.token_endpoint, form, {config_.client_id, config_.client_secret});
  if (!response) return response.error();
  if (response->status >= 500) {
    return Error{ErrorCode::kIo, "token endpoint: " + provider_error_code(*response)};
  }
  if (response->status != 200) {
    return refused("token endpoint refused the code: " + provider_error_code(*response));
  }
  auto tokens = parse_json_object(response->body, "the token endpoint's answer");
  if (!tokens) return refused(tokens.error().message);
  const auto id_token = string_member(*tokens, "id_token");
  if (!id_token) return refused("the token endpoint's answer has no id_token");

  IdTokenExpectations want{provider_.issuer, config_.client_id, pending.nonce, config_.leeway};
  auto verified = verify_id_token(*id_token, want, keys_, clock_.wall());
  if (!verified) return verified.error();
  auto claims = parse_json_object(verified->claims_json, "the ID token's claims");
  if (!claims) return refused(claims.error().message);

  Identity identity{verified->subject, "", std::move(verified->claims_json)};
  if (auto name = string_member(*claims, config_.username_claim.c_str())) {
    identity.username = std::move(*name);
  } else {
    auto name_from_userinfo = username_from_userinfo(
        string_member(*tokens, "access_token").value_or(""), identity.subject);
    if (!name_from_userinfo) return name_from_userinfo.error();
    identity.username = std::move(name_from_userinfo).value();
  }
  if (identity.username.empty()) {
    return refused("the claim " + config_.username_claim + " is empty");
  }
  return identity;
}

Result<std::string> OidcClient::username_from_userinfo(const std::string& access_token,
                                                       const std::string& subject) {
  const std::string missing = "the provider gives no claim " + config_.username_claim;
  if (provider_.userinfo_endpoint.empty() || access_token.empty()) return refused(missing);
  auto response = http_->get_with_bearer(provider_.userinfo_endpoint, access_token);
  if (!response) return response.error();
  if (response->status != 200) {
    return Error{response->status >= 500 ? ErrorCode::kIo : ErrorCode::kBadEnvelope,
                 "userinfo endpoint: " + provider_error_code(*response)};
  }
  auto doc = parse_json_object(response->body, "the userinfo answer");
  if (!doc) return refused(doc.error().message);
  // OpenID Connect Core §5.3.2: the userinfo sub must be the ID token's, or the answer is not
  // about this user.
  if (string_member(*doc, "sub") != subject) return refused("userinfo is about another subject");
  auto name = string_member(*doc, config_.username_claim.c_str());
  if (!name) return refused(missing);
  return std::move(*name);
}

}  // namespace fmn::oidc
