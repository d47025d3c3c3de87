#include "web/oidc/random_token.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "web/oidc/base64url.h"

namespace fmn::oidc {

Result<std::string> random_token(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    return Error{ErrorCode::kIo, "the random generator failed"};
  }
  return base64url_encode(raw);
}

std::string pkce_challenge_s256(const std::string& code_verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(code_verifier.data()), code_verifier.size(),
         digest);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace fmn::oidc
