#include "web/session_store.h"

#include <openssl/sha.h>

#include "core/secret_equal.h"
#include "prefs/confirmation.h"

namespace fmn::web {
namespace {

constexpr size_t kTokenChars = 52;  // of 32 letters: 260 bits

std::string digest_of(std::string_view id) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(id.data()), id.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

}  // namespace

SessionStore::SessionStore(std::chrono::seconds lifetime, Clock& clock)
    : lifetime_(lifetime), clock_(clock) {}

NewSession SessionStore::create(std::string user) {
  NewSession out{prefs::random_token(kTokenChars),
                 {std::move(user), prefs::random_token(kTokenChars)}};
  std::string digest = digest_of(out.id);
  const auto now = clock_.steady();
  std::lock_guard lock(mu_);
  // Expired sessions leave when new ones arrive, so the table stays bounded by the sign-ins
  // of one lifetime.
  std::erase_if(by_digest_, [now](const auto& item) { return item.second.expires <= now; });
  by_digest_[digest] = Entry{digest, out.session, now + lifetime_};
  return out;
}

std::optional<Session> SessionStore::find(std::string_view id) {
  if (id.size() != kTokenChars) return std::nullopt;
  const std::string digest = digest_of(id);
  std::lock_guard lock(mu_);
  const auto it = by_digest_.find(digest);
  if (it == by_digest_.end() || !secrets_equal(it->second.id_digest, digest)) return std::nullopt;
  if (it->second.expires <= clock_.steady()) {
    by_digest_.erase(it);
    return std::nullopt;
  }
  return it->second.session;
}

void SessionStore::remove(std::string_view id) {
  std::lock_guard lock(mu_);
  by_digest_.erase(digest_of(id));
}

size_t SessionStore::size() const {
  std::lock_guard lock(mu_);
  return by_digest_.size();
}

}  // namespace fmn::web
