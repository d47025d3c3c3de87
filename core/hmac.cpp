#include "core/hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "core/hex.h"

namespace fmn {

std::string hmac_sha256_hex(std::string_view key, std::string_view data, size_t bytes) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  return hex_lower(mac, std::min<size_t>(bytes, mac_len));
}

}  // namespace fmn
