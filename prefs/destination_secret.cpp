#include "prefs/destination_secret.h"

#include "core/stored_secret.h"
#include "prefs/confirmation.h"

namespace fmn::prefs {
namespace {

constexpr size_t kSecretChars = 32;  // of 32 letters: 160 bits

}  // namespace

std::string new_destination_secret(Destination& d) {
  std::string secret = random_token(kSecretChars);
  d.token = destination_kind_info(d.kind).secret_hashed ? hash_secret(secret) : secret;
  return secret;
}

}  // namespace fmn::prefs
