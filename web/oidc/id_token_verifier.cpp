#include "web/oidc/id_token_verifier.h"

#include "core/secret_equal.h"
#include "web/oidc/json_object.h"
#include "web/oidc/jws.h"

namespace fmn::oidc {
namespace {

Error refused(const std::string& why) {
  return Error{ErrorCode::kBadEnvelope, "ID token refused: " + why};
}

// An empty string when the audience and authorized-party claims name this client.
std::string audience_problem(const rapidjson::Value& claims, const std::string& client_id) {
  bool listed = false;
  size_t audiences = 0;
  auto aud = claims.FindMember("aud");
  if (aud != claims.MemberEnd() && aud->value.IsString()) {
    audiences = 1;
    listed = aud->value.GetString() == client_id;
  } else if (aud != claims.MemberEnd() && aud->value.IsArray()) {
    for (const auto& item : aud->value.GetArray()) {
      ++audiences;
      listed = listed || (item.IsString() && item.GetString() == client_id);
    }
  }
  if (!listed) return "the audience is not this client";
  const auto azp = string_member(claims, "azp");
  if (audiences > 1 && !azp) return "several audiences and no authorized party";
  if (azp && *azp != client_id) return "the authorized party is not this client";
  return "";
}

std::string time_problem(const rapidjson::Value& claims, int64_t now, int64_t leeway) {
  const auto exp = seconds_member(claims, "exp");
  const auto iat = seconds_member(claims, "iat");
  const auto nbf = seconds_member(claims, "nbf");
  if (!exp || !iat) return "no exp or iat";
  if (now >= *exp + leeway) return "expired";
  if (*iat > now + leeway) return "issued in the future";
  if (nbf && *nbf > now + leeway) return "not valid yet";
  return "";
}

}  // namespace

Result<VerifiedIdToken> verify_id_token(std::string_view token, const IdTokenExpectations& want,
                                        JwksCache& keys,
                                        std::chrono::system_clock::time_point now) {
  auto jws = parse_compact_jws(token);
  if (!jws) return refused(jws.error().message);
  if (!is_supported_alg(jws->alg)) return refused("algorithm '" + jws->alg + "' not accepted");
  const KeyType type = jws->alg == "RS256" ? KeyType::kRsa : KeyType::kEcP256;
  auto candidates = keys.keys_for(jws->kid, type);
  if (!candidates) return candidates.error();
  if (candidates->empty()) return refused("no provider key with the token's key id");
  bool verified = false;
  for (const Jwk& key : *candidates) verified = verified || verify_signature(*jws, key);
  if (!verified) return refused("bad signature");

  auto claims = parse_json_object(jws->payload_json, "the payload");
  if (!claims) return refused(claims.error().message);
  if (string_member(*claims, "iss") != want.issuer) return refused("wrong issuer");
  if (std::string problem = audience_problem(*claims, want.client_id); !problem.empty()) {
    return refused(problem);
  }
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (std::string problem = time_problem(*claims, now_s, want.leeway.count()); !problem.empty()) {
    return refused(problem);
  }
  const auto nonce = string_member(*claims, "nonce");
  if (!nonce || want.nonce.empty() || !secrets_equal(*nonce, want.nonce)) {
    return refused("wrong nonce");
  }
  auto subject = string_member(*claims, "sub");
  if (!subject || subject->empty()) return refused("no subject");
  return VerifiedIdToken{std::move(*subject), std::move(jws->payload_json)};
}

}  // namespace fmn::oidc
