#include "web/redis_pending_sign_ins.h"

#include "core/hex.h"
#include "core/secret_equal.h"

namespace fmn::web {
namespace {

// KEYS: the entry, the index. ARGV: now (ms), expiry (ms), capacity, ttl (ms), digest, nonce,
// verifier. 1 when kept, 0 when dropped (a state already held, or no capacity).
constexpr std::string_view kAddScript = R"lua(
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
local capacity = tonumber(ARGV[3])
if capacity == 0 or redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
while redis.call('ZCARD', KEYS[2]) >= capacity do
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  redis.call('DEL', oldest[1])
end
redis.call('HSET', KEYS[1], 'd', ARGV[5], 'n', ARGV[6], 'v', ARGV[7], 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[2], KEYS[1])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1)lua";

// KEYS: the entry, the index. ARGV: now (ms). The entry's digest, nonce and verifier, removed;
// nothing when it is missing or expired.
constexpr std::string_view kTakeScript = R"lua(
local entry = redis.call('HMGET', KEYS[1], 'd', 'n', 'v', 'e')
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
if not entry[1] or not entry[4] or tonumber(entry[4]) <= tonumber(ARGV[1]) then return {} end
return {entry[1], entry[2], entry[3]})lua";

int64_t to_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

RedisPendingSignIns::RedisPendingSignIns(std::shared_ptr<sinks::SharedRedisConnection> redis,
                                         PendingSignInsConfig config, const Clock& clock)
    : redis_(std::move(redis)),
      config_(config),
      clock_(clock),
      index_(redis_->config().prefix + "web:sign-ins") {}

Result<bool> RedisPendingSignIns::add(oidc::PendingSignIn pending) {
  const int64_t now = to_ms(clock_.wall());
  const int64_t ttl = std::chrono::duration_cast<std::chrono::milliseconds>(config_.ttl).count();
  const std::string digest = sha256_hex(pending.state);
  const std::string key = redis_->config().prefix + "web:sign-in:" + digest;
  const std::string now_text = std::to_string(now), expires = std::to_string(now + ttl),
                    capacity = std::to_string(config_.capacity), ttl_text = std::to_string(ttl);
  auto r = redis_->command({"EVAL", kAddScript, "2", key, index_, now_text, expires, capacity,
                            ttl_text, digest, pending.nonce, pending.code_verifier});
  if (!r) return r.error();
  return r->integer == 1;
}

Result<std::optional<oidc::PendingSignIn>> RedisPendingSignIns::take(std::string_view state) {
  const std::string digest = sha256_hex(state);
  const std::string key = redis_->config().prefix + "web:sign-in:" + digest;
  const std::string now = std::to_string(to_ms(clock_.wall()));
  auto r = redis_->command({"EVAL", kTakeScript, "2", key, index_, now});
  if (!r) return r.error();
  if (r->elements.size() != 3 || !secrets_equal(r->elements[0], digest)) {
    return std::optional<oidc::PendingSignIn>();
  }
  return std::optional<oidc::PendingSignIn>(oidc::PendingSignIn{
      std::string(state), std::move(r->elements[1]), std::move(r->elements[2])});
}

}  // namespace fmn::web
