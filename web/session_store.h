// Signed-in sessions: a random id (the cookie) maps to the user it was issued to and to the
// session's CSRF token.
//
// Ids and tokens are 52 random characters from the OS's CSPRNG (prefs::random_token), 260
// bits. A store keeps only the SHA-256 digest of an id, never the id itself, and compares the
// stored digest in constant time, so neither a look at the store nor the timing of a lookup
// reveals a usable id. A session ends after the store's lifetime or when removed (sign-out).
//
// Two stores: MemorySessionStore (this process; a restart signs everyone out) and
// RedisSessionStore (shared by every web instance using the Redis). Both are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

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
  virtual ~SessionStore() = default;

  // Errors: kIo when a shared store cannot be reached.
  virtual Result<NewSession> create(std::string user) = 0;
  // The live session with this id, or nullopt.
  virtual Result<std::optional<Session>> find(std::string_view id) = 0;
  virtual Result<bool> remove(std::string_view id) = 0;
};

// A fresh session for `user`: a new id and CSRF token.
NewSession new_session(std::string user);
// False for what cannot be an id new_session() made: no store needs to look it up.
bool well_formed_session_id(std::string_view id);
// The SHA-256 of `id` in hex: what stores keep instead of the id.
std::string session_id_digest(std::string_view id);

}  // namespace fmn::web
