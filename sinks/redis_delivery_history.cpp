#include "sinks/redis_delivery_history.h"

#include <algorithm>

#include "core/bounded_id.h"
#include "sinks/delivery_record_json.h"

namespace fmn::sinks {
namespace {

// KEYS: each record's user's list. ARGV: the cap, the ttl in seconds, then the records in
// KEYS' order.
constexpr std::string_view kAppendScript = R"(
for i = 1, #KEYS do redis.call('LPUSH', KEYS[i], ARGV[i + 2]) end
for i = 1, #KEYS do
  redis.call('LTRIM', KEYS[i], 0, tonumber(ARGV[1]) - 1)
  redis.call('EXPIRE', KEYS[i], ARGV[2])
end
return #KEYS)";

constexpr size_t kMaxRecordsPerCall = 500;

}  // namespace

RedisDeliveryHistory::~RedisDeliveryHistory() = default;

std::string RedisDeliveryHistory::describe() const { return redis_.describe(); }

std::string RedisDeliveryHistory::key(std::string_view user) const {
  return redis_.config().prefix + "history:" + bounded_id(user);
}

Result<bool> RedisDeliveryHistory::append(const std::vector<DeliveryRecord>& records) {
  const std::string cap = std::to_string(limits_.per_user);
  const std::string ttl = std::to_string(limits_.ttl.count());
  for (size_t start = 0; start < records.size(); start += kMaxRecordsPerCall) {
    const size_t end = std::min(records.size(), start + kMaxRecordsPerCall);
    std::vector<std::string> keys, values;
    for (size_t i = start; i < end; ++i) {
      keys.push_back(key(records[i].user));
      values.push_back(delivery_record_json(records[i]));
    }
    const std::string count = std::to_string(keys.size());
    std::vector<std::string_view> argv{"EVAL", kAppendScript, count};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.push_back(cap);
    argv.push_back(ttl);
    argv.insert(argv.end(), values.begin(), values.end());
    auto r = redis_.command(argv);
    if (!r) return r.error();
  }
  return true;
}

Result<std::vector<DeliveryRecord>> RedisDeliveryHistory::recent(std::string_view user,
                                                                 size_t offset, size_t limit) {
  std::vector<DeliveryRecord> out;
  if (limit == 0) return out;
  Result<RedisReply> r = redis_.command(
      {"LRANGE", key(user), std::to_string(offset), std::to_string(offset + limit - 1)});
  if (!r) return r.error();
  for (const std::string& json : r->elements) {
    auto record = parse_delivery_record(json);
    if (record) out.push_back(std::move(record).value());  // a foreign entry is skipped
  }
  return out;
}

}  // namespace fmn::sinks
