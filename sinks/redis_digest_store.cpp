#include "sinks/redis_digest_store.h"

#include <hiredis/hiredis.h>

#include "core/bounded_id.h"

namespace fmn::sinks {
namespace {

// KEYS: seen, list, due zset. ARGV: ttl seconds, item, due ms, key.
constexpr std::string_view kAddScript = R"(
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local n = redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[4])
return n)";

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

struct RedisDigestStore::Reply {
  long long integer = 0;
  bool nil = false;
  std::vector<std::string> elements;
};

Result<std::unique_ptr<RedisDigestStore>> RedisDigestStore::connect(RedisConfig config) {
  std::unique_ptr<RedisDigestStore> store(new RedisDigestStore(std::move(config)));
  auto ok = store->reconnect();
  if (!ok) return ok.error();
  auto ping = store->command({"PING"});
  if (!ping) return ping.error();
  return store;
}

RedisDigestStore::~RedisDigestStore() {
  if (context_ != nullptr) redisFree(context_);
}

std::string RedisDigestStore::describe() const {
  return "redis " + config_.host + ":" + std::to_string(config_.port);
}

Result<bool> RedisDigestStore::reconnect() {
  if (context_ != nullptr) redisFree(context_);
  const auto ms = config_.timeout.count();
  const timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
  context_ = redisConnectWithTimeout(config_.host.c_str(), config_.port, tv);
  if (context_ == nullptr || context_->err != 0) {
    std::string why = context_ != nullptr ? context_->errstr : "out of memory";
    if (context_ != nullptr) redisFree(context_);
    context_ = nullptr;
    return Error{ErrorCode::kIo,
                 "redis " + config_.host + ":" + std::to_string(config_.port) + ": " + why};
  }
  redisSetTimeout(context_, tv);
  return true;
}

Result<RedisDigestStore::Reply> RedisDigestStore::command(
    const std::vector<std::string_view>& argv) {
  std::vector<const char*> args;
  std::vector<size_t> lengths;
  for (std::string_view a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (context_ == nullptr || context_->err != 0) {
      auto ok = reconnect();
      if (!ok) return ok.error();
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(args.size()), args.data(), lengths.data()));
    if (r == nullptr) continue;  // connection lost: reconnect and try once more
    Reply reply;
    std::string error;
    switch (r->type) {
      case REDIS_REPLY_INTEGER:
        reply.integer = r->integer;
        break;
      case REDIS_REPLY_NIL:
        reply.nil = true;
        break;
      case REDIS_REPLY_ERROR:
        error.assign(r->str, r->len);
        break;
      case REDIS_REPLY_ARRAY:
        for (size_t i = 0; i < r->elements; ++i) {
          const redisReply* e = r->element[i];
          if (e->type == REDIS_REPLY_STRING) reply.elements.emplace_back(e->str, e->len);
        }
        break;
      default:
        break;  // status replies carry nothing the store needs
    }
    freeReplyObject(r);
    if (!error.empty()) return Error{ErrorCode::kIo, "redis: " + error};
    return reply;
  }
  return Error{ErrorCode::kIo,
               "redis: " + std::string(context_ ? context_->errstr : "no connection")};
}

Result<bool> RedisDigestStore::mark_once(std::string_view id) {
  const std::string key = config_.prefix + "seen:" + bounded_id(id);
  const std::string ttl = std::to_string(config_.dedupe_ttl.count());
  auto r = command({"SET", key, "1", "NX", "EX", ttl});
  if (!r) return r.error();
  return !r->nil;
}

Result<bool> RedisDigestStore::seen(std::string_view id) {
  auto r = command({"EXISTS", config_.prefix + "seen:" + bounded_id(id)});
  if (!r) return r.error();
  return r->integer > 0;
}

Result<size_t> RedisDigestStore::add(std::string_view key, std::string_view id,
                                     std::string_view item, int64_t due_ms) {
  const std::string seen = config_.prefix + "seen:" + bounded_id(id);
  const std::string k = bounded_id(key);
  const std::string list = config_.prefix + "digest:" + k;
  const std::string due = config_.prefix + "due";
  const std::string ttl = std::to_string(config_.dedupe_ttl.count());
  const std::string due_text = std::to_string(due_ms);
  auto r = command({"EVAL", kAddScript, "3", seen, list, due, ttl, item, due_text, k});
  if (!r) return r.error();
  return static_cast<size_t>(r->integer);
}

Result<std::vector<std::string>> RedisDigestStore::due(int64_t now_ms) {
  auto r = command({"ZRANGEBYSCORE", config_.prefix + "due", "-inf", std::to_string(now_ms)});
  if (!r) return r.error();
  return std::move(r->elements);
}

Result<std::vector<std::string>> RedisDigestStore::take(std::string_view key) {
  const std::string k = bounded_id(key);
  auto r = command({"EVAL", kTakeScript, "4", config_.prefix + "digest:" + k,
                    config_.prefix + "flight:" + k, config_.prefix + "due",
                    config_.prefix + "flight", k});
  if (!r) return r.error();
  return std::move(r->elements);
}

Result<bool> RedisDigestStore::done(std::string_view key) {
  const std::string k = bounded_id(key);
  auto r = command(
      {"EVAL", kDoneScript, "2", config_.prefix + "flight:" + k, config_.prefix + "flight", k});
  if (!r) return r.error();
  return true;
}

Result<std::vector<std::string>> RedisDigestStore::in_flight() {
  auto r = command({"SMEMBERS", config_.prefix + "flight"});
  if (!r) return r.error();
  return std::move(r->elements);
}

}  // namespace fmn::sinks
