// Public signing keys of an OpenID provider, read from its JWKS document (RFC 7517).
//
// Only keys the verifier can use are kept: RSA keys of at least 2048 bits and EC keys on P-256,
// meant for signatures (no "use", or "use":"sig"). Others (encryption keys, Ed25519, symmetric
// "oct" keys, which a JWKS must never publish) are skipped, not errors: providers publish more
// than one kind. Jwk values are immutable and shareable between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace fmn::oidc {

enum class KeyType { kRsa, kEcP256 };

struct Jwk {
  std::string kid;  // may be empty
  KeyType type = KeyType::kRsa;
  std::string alg;  // as published ("RS256", "ES256"), may be empty
  std::shared_ptr<evp_pkey_st> key;
};

// An Error (kMalformedJson) when `json` is not an object with a "keys" array.
Result<std::vector<Jwk>> parse_jwk_set(std::string_view json);

}  // namespace fmn::oidc
