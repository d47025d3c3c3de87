// Signed-in sessions: a random id (the cookie) maps to the user it was issued to and to the
// session's CSRF token.
//
// Ids and tokens are 52 random characters from the OS's CSPRNG (prefs::random_token), 260
// bits. The table is keyed by a SHA-256 digest of the id, and the stored digest is compared in
// constant time, so neither the lookup nor the comparison reveal how much of a guessed id was
// right. A session ends after `lifetime` or when removed (sign-out). Sessions live in this
// process's memory: a restart signs everyone out, and several web instances need a load
// balancer that keeps a client on one instance. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace fmn::web {

struct Session {
  std::string user;
  std::string csrf_token;
};

struct NewSession {
  std::string id;  // the cookie's value; known only to the client from now on
  Session session;
};

class SessionStore {
 public:
  explicit SessionStore(std::chrono::seconds lifetime = std::chrono::hours(12),
                        Clock& clock = SystemClock::instance());

  NewSession create(std::string user);
  // The live session with this id, or nullopt.
  std::optional<Session> find(std::string_view id);
  void remove(std::string_view id);
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
