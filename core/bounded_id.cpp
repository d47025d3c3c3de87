#include "core/bounded_id.h"

#include <openssl/sha.h>

namespace fmn {

std::string bounded_id(std::string_view id) {
  if (id.size() <= kMaxPlainId) return std::string(id);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

}  // namespace fmn
