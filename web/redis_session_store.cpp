#include "web/redis_session_store.h"

#include "core/secret_equal.h"

namespace fmn::web {

RedisSessionStore::RedisSessionStore(std::shared_ptr<sinks::SharedRedisConnection> redis,
                                     std::chrono::seconds lifetime)
    : redis_(std::move(redis)), lifetime_(lifetime) {}

std::string RedisSessionStore::key(std::string_view hex) const {
  return redis_->config().prefix + "web:session:" + std::string(hex);
}

Result<NewSession> RedisSessionStore::create(std::string user) {
  NewSession out = new_session(std::move(user));
  const std::string digest = session_id_digest(out.id);
  const std::string k = key(digest);
  const std::string seconds = std::to_string(lifetime_.count());
  auto stored = redis_->transaction(
      {{"HSET", k, "d", digest, "u", out.session.user, "c", out.session.csrf_token},
       {"EXPIRE", k, seconds}});
  if (!stored) return stored.error();
  return out;
}

Result<std::optional<Session>> RedisSessionStore::find(std::string_view id) {
  if (!well_formed_session_id(id)) return std::optional<Session>();
  const std::string digest = session_id_digest(id);
  auto r = redis_->command({"HMGET", key(digest), "d", "u", "c"});
  if (!r) return r.error();
  // Missing fields are left out of the reply: a whole session has all three.
  if (r->elements.size() != 3 || !secrets_equal(r->elements[0], digest)) {
    return std::optional<Session>();
  }
  return std::optional<Session>(Session{std::move(r->elements[1]), std::move(r->elements[2])});
}

Result<bool> RedisSessionStore::remove(std::string_view id) {
  auto r = redis_->command({"DEL", key(session_id_digest(id))});
  if (!r) return r.error();
  return true;
}

}  // namespace fmn::web
