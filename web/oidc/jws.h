// A JWS in compact serialization (RFC 7515 §7.1), as an ID token arrives, and the check of its
// signature with a provider's public key.
//
// Only RS256 (RSASSA-PKCS1-v1_5 with SHA-256) and ES256 (ECDSA P-256 with SHA-256) are accepted,
// the algorithms OpenID providers sign ID tokens with. Everything else is refused by name, in
// particular "none" (an unsigned token) and HS256 (an HMAC, which a verifier handed a public key
// as the "secret" would accept from anyone who knows that public key). The algorithm must also
// fit the key's type, and the key's own "alg" when it publishes one.
//
// The signature is checked with OpenSSL's EVP interface directly rather than libjwt or cjose:
// OpenSSL is already linked for message signatures (core/signature_verifier.h), the two
// algorithms need forty lines, and both libraries would choose the algorithm from the token's
// own header unless every call site restricts it, the mistake behind alg-confusion attacks.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "web/oidc/jwk_set.h"

namespace fmn::oidc {

struct CompactJws {
  std::string header_json;    // decoded protected header
  std::string payload_json;   // decoded payload (the claims)
  std::string signing_input;  // "<header>.<payload>" as received, what the signature covers
  std::string signature;      // decoded signature bytes
  std::string alg;            // the header's "alg"
  std::string kid;            // the header's "kid", empty when absent
};

// Splits and decodes a compact JWS. Errors (kBadEnvelope) say what is malformed: not three
// segments, a segment not base64url, a header that is not an object or has no "alg", or a
// "crit" header (no extension is understood, so RFC 7515 §4.1.11 says refuse).
Result<CompactJws> parse_compact_jws(std::string_view token);

// True for the algorithms above.
bool is_supported_alg(std::string_view alg);

// Whether `jws.signature` is a valid signature of `jws.signing_input` by `key` under
// `jws.alg`. False whenever the algorithm is unsupported or does not fit the key.
bool verify_signature(const CompactJws& jws, const Jwk& key);

}  // namespace fmn::oidc
