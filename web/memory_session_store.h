// MemorySessionStore: sessions (session_store.h) in this process's memory, keyed by the
// digest of their id. A restart signs everyone out, and several web instances each have their
// own: use RedisSessionStore for those. Expired sessions leave when new ones arrive, so the
// table stays bounded by the sign-ins of one lifetime. Thread-safe; the Clock outlives the
// store.
#pragma once

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "core/clock.h"
#include "web/session_store.h"

namespace fmn::web {

class MemorySessionStore : public SessionStore {
 public:
  explicit MemorySessionStore(std::chrono::seconds lifetime = std::chrono::hours(12),
                              Clock& clock = SystemClock::instance());

  Result<NewSession> create(std::string user) override;
  Result<std::optional<Session>> find(std::string_view id) override;
  Result<bool> remove(std::string_view id) override;
  size_t size() const;

 private:
  struct Entry {
    std::string id_digest;
    Session session;
    std::chrono::steady_clock::time_point expires;
  };

  const std::chrono::seconds lifetime_;
  Clock& clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> by_digest_;
};

}  // namespace fmn::web
