// Unguessable values for a sign-in (state, nonce, PKCE code verifier): bytes from OpenSSL's
// CSPRNG (RAND_bytes), base64url-encoded so they travel in URLs and cookies unescaped.
// Thread-safe (OpenSSL 3 seeds and locks its generator itself).
#pragma once

#include <cstddef>
#include <string>

#include "core/result.h"

namespace fmn::oidc {

// `bytes` random bytes, encoded (32 bytes -> 43 characters). An Error (kIo) only when the
// generator cannot produce randomness, which a caller must treat as fatal for the sign-in.
Result<std::string> random_token(size_t bytes = 32);

// The PKCE S256 challenge of a code verifier (RFC 7636 §4.2): base64url(SHA-256(verifier)).
std::string pkce_challenge_s256(const std::string& code_verifier);

}  // namespace fmn::oidc
