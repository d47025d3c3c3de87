#include "sinks/webhook_signature.h"

#include "core/hmac.h"

namespace fmn::sinks {

std::string webhook_signature(std::string_view secret, int64_t timestamp, std::string_view body) {
  std::string data = std::to_string(timestamp) + ".";
  data.append(body);
  return "sha256=" + hmac_sha256_hex(secret, data);
}

}  // namespace fmn::sinks
