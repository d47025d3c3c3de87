// ID-token claims for tests: valid by default for the issuer, client and nonce below at `now`,
// each field replaceable to make the token wrong in one way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fmn::test {

inline constexpr char kIssuer[] = "https://id.example.org";
inline constexpr char kClientId[] = "fmn-web";
inline constexpr char kNonce[] = "n-0S6_WzA2Mj";

struct Claims {
  explicit Claims(int64_t now) : iat(now), exp(now + 300) {}

  std::string iss = kIssuer;
  std::string aud_json = std::string("\"") + kClientId + "\"";  // a string or an array, as JSON
  std::optional<std::string> azp;
  std::string sub = "f3c1a7";
  std::optional<std::string> nonce = kNonce;
  int64_t iat;
  int64_t exp;
  std::optional<int64_t> nbf;
  std::optional<std::string> preferred_username = "alice";

  std::string json() const {
    std::string out = "{\"iss\":\"" + iss + "\",\"aud\":" + aud_json + ",\"sub\":\"" + sub +
                      "\",\"iat\":" + std::to_string(iat) + ",\"exp\":" + std::to_string(exp);
    if (azp) out += ",\"azp\":\"" + *azp + "\"";
    if (nonce) out += ",\"nonce\":\"" + *nonce + "\"";
    if (nbf) out += ",\"nbf\":" + std::to_string(*nbf);
    if (preferred_username) out += ",\"preferred_username\":\"" + *preferred_username + "\"";
    return out + "}";
  }
};

}  // namespace fmn::test
