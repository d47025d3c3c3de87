// Signing keys made in the test (OpenSSL), to issue ID tokens as a provider would and tampered
// ones as an attacker would: RS256, ES256, HS256 with any secret, and unsigned ("alg":"none").
// Not thread-safe; test-only.
#pragma once

#include <memory>
#include <string>

struct evp_pkey_st;

namespace fmn::test {

class TestKey {
 public:
  static TestKey rsa(std::string kid);  // 2048 bits
  static TestKey ec_p256(std::string kid);

  const std::string& kid() const { return kid_; }
  // The public key as a JWK object (JSON text), with "kid", "use":"sig" and "alg".
  std::string public_jwk() const;
  // "<header>.<payload>.<signature>" signed with this key under its algorithm; `header_json` is
  // used as given (tests write the alg and kid they want the token to claim).
  std::string sign(const std::string& header_json, const std::string& payload_json) const;
  // The usual header: this key's alg and kid.
  std::string header() const;

 private:
  TestKey(std::string kid, std::shared_ptr<evp_pkey_st> key, bool rsa)
      : kid_(std::move(kid)), key_(std::move(key)), rsa_(rsa) {}
  std::string kid_;
  std::shared_ptr<evp_pkey_st> key_;
  bool rsa_;
};

// {"keys":[...]} of the given JWK objects.
std::string jwk_set(std::initializer_list<std::string> jwks);

// An HS256 token whose HMAC key is `secret` (an attacker's guess: the provider's public JWK).
std::string sign_hs256(const std::string& header_json, const std::string& payload_json,
                       const std::string& secret);

// An unsigned token: "<header>.<payload>." (RFC 7519 §6).
std::string unsigned_token(const std::string& header_json, const std::string& payload_json);

}  // namespace fmn::test
