#include "sinks/unsubscribe_link.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace fmn::sinks {
namespace {

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::string sign_destination(std::string_view secret, std::string_view user, std::string_view kind,
                             std::string_view address) {
  // NUL separators keep ("ab", "c") and ("a", "bc") apart; NUL never occurs in the values.
  std::string data;
  data.reserve(user.size() + kind.size() + address.size() + 2);
  data.append(user).push_back('\0');
  data.append(kind).push_back('\0');
  data.append(address);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  std::string hex;
  for (unsigned int i = 0; i < 16 && i < mac_len; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0xF]);
  }
  return hex;
}

void append_url_encoded(std::string& out, std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      static constexpr char kUpperHex[] = "0123456789ABCDEF";  // RFC 3986 2.1
      out.push_back('%');
      out.push_back(kUpperHex[u >> 4]);
      out.push_back(kUpperHex[u & 0xF]);
    }
  }
}

void append_unsubscribe_url(std::string& out, std::string_view base_url, std::string_view secret,
                            std::string_view user, std::string_view kind,
                            std::string_view address) {
  out.append(base_url);
  out += "/unsubscribe?user=";
  append_url_encoded(out, user);
  out += "&kind=";
  append_url_encoded(out, kind);
  out += "&address=";
  append_url_encoded(out, address);
  out += "&sig=";
  out += sign_destination(secret, user, kind, address);
}

bool verify_destination(std::string_view secret, std::string_view user, std::string_view kind,
                        std::string_view address, std::string_view signature) {
  const std::string expected = sign_destination(secret, user, kind, address);
  return signature.size() == expected.size() &&
         CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

}  // namespace fmn::sinks
