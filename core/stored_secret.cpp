#include "core/stored_secret.h"

#include "core/hex.h"
#include "core/secret_equal.h"

namespace fmn {
namespace {

constexpr std::string_view kDigestPrefix = "sha256-";

}  // namespace

std::string hash_secret(std::string_view secret) {
  return std::string(kDigestPrefix) + sha256_hex(secret);
}

bool secret_matches(std::string_view stored, std::string_view offered) {
  if (stored.empty()) return false;
  if (stored.starts_with(kDigestPrefix)) return secrets_equal(stored, hash_secret(offered));
  return secrets_equal(stored, offered);
}

}  // namespace fmn
