#include "web/memory_session_store.h"

#include "core/secret_equal.h"

namespace fmn::web {

MemorySessionStore::MemorySessionStore(std::chrono::seconds lifetime, Clock& clock)
    : lifetime_(lifetime), clock_(clock) {}

Result<NewSession> MemorySessionStore::create(std::string user) {
  NewSession out = new_session(std::move(user));
  std::string digest = session_id_digest(out.id);
  const auto now = clock_.steady();
  std::lock_guard lock(mu_);
  std::erase_if(by_digest_, [now](const auto& item) { return item.second.expires <= now; });
  by_digest_[digest] = Entry{digest, out.session, now + lifetime_};
  return out;
}

Result<std::optional<Session>> MemorySessionStore::find(std::string_view id) {
  if (!well_formed_session_id(id)) return std::optional<Session>();
  const std::string digest = session_id_digest(id);
  std::lock_guard lock(mu_);
  const auto it = by_digest_.find(digest);
  if (it == by_digest_.end() || !secrets_equal(it->second.id_digest, digest)) {
    return std::optional<Session>();
  }
  if (it->second.expires <= clock_.steady()) {
    by_digest_.erase(it);
    return std::optional<Session>();
  }
  return std::optional<Session>(it->second.session);
}

Result<bool> MemorySessionStore::remove(std::string_view id) {
  std::lock_guard lock(mu_);
  by_digest_.erase(session_id_digest(id));
  return true;
}

size_t MemorySessionStore::size() const {
  std::lock_guard lock(mu_);
  return by_digest_.size();
}

}  // namespace fmn::web
