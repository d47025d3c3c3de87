#include "web/session_store.h"

#include "core/hex.h"
#include "prefs/confirmation.h"

namespace fmn::web {
namespace {

constexpr size_t kTokenChars = 52;  // of 32 letters: 260 bits

}  // namespace

NewSession new_session(std::string user) {
  return {prefs::random_token(kTokenChars), {std::move(user), prefs::random_token(kTokenChars)}};
}

bool well_formed_session_id(std::string_view id) { return id.size() == kTokenChars; }

std::string session_id_digest(std::string_view id) { return sha256_hex(id); }

}  // namespace fmn::web
