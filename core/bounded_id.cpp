#include "core/bounded_id.h"

#include <openssl/sha.h>

#include "core/hex.h"

namespace fmn {

std::string bounded_id(std::string_view id) {
  if (id.size() <= kMaxPlainId) return std::string(id);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), digest);
  return "sha256:" + hex_lower(digest, sizeof digest);
}

}  // namespace fmn
