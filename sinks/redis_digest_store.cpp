#include "sinks/redis_digest_store.h"

#include <cstdlib>

#include "core/bounded_id.h"

namespace fmn::sinks {
namespace {

// KEYS: seen, list, due zset. ARGV: ttl seconds, item, due ms, key, hold ms.
constexpr std::string_view kAddScript = R"(
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local n = redis.call('RPUSH', KEYS[2], ARGV[2])
if redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[4]) == 0 then
  redis.call('ZADD', KEYS[3], 'XX', 'GT', ARGV[5], ARGV[4])
end
return n)";

// KEYS: list, due zset. ARGV: due ms, key.
constexpr std::string_view kExpediteScript = R"(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
return 1)";

// KEYS: list, flight list, due zset, flight set. ARGV: key.
constexpr std::string_view kTakeScript = R"(
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, item in ipairs(items) do redis.call('RPUSH', KEYS[2], item) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('SADD', KEYS[4], ARGV[1]) end
return redis.call('LRANGE', KEYS[2], 0, -1))";

// KEYS: flight list, flight set. ARGV: key.
constexpr std::string_view kDoneScript = R"(
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1)";

}  // namespace

Result<std::unique_ptr<RedisDigestStore>> RedisDigestStore::connect(RedisConfig config) {
  auto connection = RedisConnection::open(config);
  if (!connection) return connection.error();
  return std::unique_ptr<RedisDigestStore>(
      new RedisDigestStore(std::move(config), std::move(connection).value()));
}

RedisDigestStore::~RedisDigestStore() = default;

std::string RedisDigestStore::describe() const { return redis_->describe(); }

Result<bool> RedisDigestStore::mark_once(std::string_view id) {
  const std::string key = config_.prefix + "seen:" + bounded_id(id);
  const std::string ttl = std::to_string(config_.dedupe_ttl.count());
  auto r = redis_->command({"SET", key, "1", "NX", "EX", ttl});
  if (!r) return r.error();
  return !r->nil;
}

Result<bool> RedisDigestStore::seen(std::string_view id) {
  auto r = redis_->command({"EXISTS", config_.prefix + "seen:" + bounded_id(id)});
  if (!r) return r.error();
  return r->integer > 0;
}

Result<bool> RedisDigestStore::forget(std::string_view id) {
  auto r = redis_->command({"DEL", config_.prefix + "seen:" + bounded_id(id)});
  if (!r) return r.error();
  return true;
}

Result<size_t> RedisDigestStore::add(std::string_view key, std::string_view id,
                                     std::string_view item, int64_t due_ms, int64_t hold_ms) {
  const std::string seen = config_.prefix + "seen:" + bounded_id(id);
  const std::string k = bounded_id(key);
  const std::string list = config_.prefix + "digest:" + k;
  const std::string due = config_.prefix + "due";
  const std::string ttl = std::to_string(config_.dedupe_ttl.count());
  const std::string due_text = std::to_string(due_ms);
  auto r = redis_->command(
      {"EVAL", kAddScript, "3", seen, list, due, ttl, item, due_text, k, std::to_string(hold_ms)});
  if (!r) return r.error();
  return static_cast<size_t>(r->integer);
}

Result<std::vector<std::string>> RedisDigestStore::due(int64_t now_ms) {
  auto r =
      redis_->command({"ZRANGEBYSCORE", config_.prefix + "due", "-inf", std::to_string(now_ms)});
  if (!r) return r.error();
  return std::move(r->elements);
}

Result<std::vector<std::string>> RedisDigestStore::take(std::string_view key) {
  const std::string k = bounded_id(key);
  auto r = redis_->command({"EVAL", kTakeScript, "4", config_.prefix + "digest:" + k,
                            config_.prefix + "flight:" + k, config_.prefix + "due",
                            config_.prefix + "flight", k});
  if (!r) return r.error();
  return std::move(r->elements);
}

Result<bool> RedisDigestStore::done(std::string_view key) {
  const std::string k = bounded_id(key);
  auto r = redis_->command(
      {"EVAL", kDoneScript, "2", config_.prefix + "flight:" + k, config_.prefix + "flight", k});
  if (!r) return r.error();
  return true;
}

Result<std::vector<std::string>> RedisDigestStore::in_flight() {
  auto r = redis_->command({"SMEMBERS", config_.prefix + "flight"});
  if (!r) return r.error();
  return std::move(r->elements);
}

Result<std::vector<PendingDigest>> RedisDigestStore::pending() {
  auto keys = redis_->command({"ZRANGE", config_.prefix + "due", "0", "-1", "WITHSCORES"});
  if (!keys) return keys.error();
  std::vector<PendingDigest> out;
  for (size_t i = 0; i + 1 < keys->elements.size(); i += 2) {
    PendingDigest p;
    p.key = keys->elements[i];
    // Scores are doubles: the "never" of count-only digests comes back rounded up.
    const double due = std::strtod(keys->elements[i + 1].c_str(), nullptr);
    p.due_ms = due >= static_cast<double>(kNeverDue) ? kNeverDue : static_cast<int64_t>(due);
    auto n = redis_->command({"LLEN", config_.prefix + "digest:" + p.key});
    if (!n) return n.error();
    p.items = static_cast<size_t>(n->integer);
    out.push_back(std::move(p));
  }
  return out;
}

Result<bool> RedisDigestStore::expedite(std::string_view key, int64_t due_ms) {
  const std::string k = bounded_id(key);
  auto r = redis_->command({"EVAL", kExpediteScript, "2", config_.prefix + "digest:" + k,
                            config_.prefix + "due", std::to_string(due_ms), k});
  if (!r) return r.error();
  return r->integer == 1;
}

}  // namespace fmn::sinks
