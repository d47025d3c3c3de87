#include "sinks/redis_delivery_history.h"

#include "core/bounded_id.h"
#include "sinks/delivery_record_json.h"

namespace fmn::sinks {
namespace {

// KEYS[1] the user's list; ARGV: the record, the cap, the ttl in seconds.
constexpr std::string_view kAppendScript = R"(
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1)";

}  // namespace

RedisDeliveryHistory::~RedisDeliveryHistory() = default;

std::string RedisDeliveryHistory::describe() const {
  return "redis " + config_.host + ":" + std::to_string(config_.port);
}

Result<RedisReply> RedisDeliveryHistory::command(const std::vector<std::string_view>& argv) {
  if (redis_ == nullptr) {
    auto opened = RedisConnection::open(config_);
    if (!opened) return opened.error();
    redis_ = std::move(opened).value();
  }
  auto reply = redis_->command(argv);
  if (!reply) redis_.reset();  // the next call connects afresh
  return reply;
}

std::string RedisDeliveryHistory::key(std::string_view user) const {
  return config_.prefix + "history:" + bounded_id(user);
}

Result<bool> RedisDeliveryHistory::append(const std::vector<DeliveryRecord>& records) {
  const std::string cap = std::to_string(limits_.per_user);
  const std::string ttl = std::to_string(limits_.ttl.count());
  std::lock_guard lock(mu_);
  for (const DeliveryRecord& record : records) {
    auto r = command(
        {"EVAL", kAppendScript, "1", key(record.user), delivery_record_json(record), cap, ttl});
    if (!r) return r.error();
  }
  return true;
}

Result<std::vector<DeliveryRecord>> RedisDeliveryHistory::recent(std::string_view user,
                                                                 size_t offset, size_t limit) {
  std::vector<DeliveryRecord> out;
  if (limit == 0) return out;
  Result<RedisReply> r = [&] {
    std::lock_guard lock(mu_);
    return command(
        {"LRANGE", key(user), std::to_string(offset), std::to_string(offset + limit - 1)});
  }();
  if (!r) return r.error();
  for (const std::string& json : r->elements) {
    auto record = parse_delivery_record(json);
    if (record) out.push_back(std::move(record).value());  // a foreign entry is skipped
  }
  return out;
}

}  // namespace fmn::sinks
