#include "sinks/unsubscribe_link.h"

#include <initializer_list>

#include "core/hmac.h"
#include "core/secret_equal.h"

namespace fmn::sinks {
namespace {

// Starts the signed data of unsubscribe links, so that no other signature made with the same
// secret (a destination confirmation link) is a valid unsubscribe signature.
constexpr std::string_view kUnsubscribePurpose = "unsubscribe";

// HMAC-SHA256 of the fields joined by NUL (which never occurs in them, so ("ab", "c") and
// ("a", "bc") stay apart), as hex of its first 128 bits.
std::string sign_fields(std::string_view secret, std::initializer_list<std::string_view> fields) {
  std::string data;
  bool first = true;
  for (std::string_view field : fields) {
    if (!first) data.push_back('\0');
    first = false;
    data.append(field);
  }
  return hmac_sha256_hex(secret, data, 16);
}

}  // namespace

std::string sign_destination(std::string_view secret, std::string_view user, std::string_view kind,
                             std::string_view address) {
  return sign_fields(secret, {user, kind, address});
}

bool verify_destination(std::string_view secret, std::string_view user, std::string_view kind,
                        std::string_view address, std::string_view signature) {
  return secrets_equal(sign_destination(secret, user, kind, address), signature);
}

std::string sign_unsubscribe(std::string_view secret, const UnsubscribeTarget& target) {
  return sign_fields(secret,
                     {kUnsubscribePurpose, target.user, target.rule, target.kind, target.address});
}

bool verify_unsubscribe(std::string_view secret, const UnsubscribeTarget& target,
                        std::string_view signature) {
  return secrets_equal(sign_unsubscribe(secret, target), signature);
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
                            const UnsubscribeTarget& target) {
  out.append(base_url);
  out += "/unsubscribe?user=";
  append_url_encoded(out, target.user);
  out += "&rule=";
  append_url_encoded(out, target.rule);
  out += "&kind=";
  append_url_encoded(out, target.kind);
  out += "&address=";
  append_url_encoded(out, target.address);
  out += "&sig=";
  out += sign_unsubscribe(secret, target);
}

}  // namespace fmn::sinks
