#include "sinks/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace fmn::sinks {

std::string webhook_signature(std::string_view secret, int64_t timestamp, std::string_view body) {
  std::string data = std::to_string(timestamp) + ".";
  data.append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < mac_len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0xF]);
  }
  return out;
}

}  // namespace fmn::sinks
