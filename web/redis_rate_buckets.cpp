#include "web/redis_rate_buckets.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/bounded_id.h"
#include "core/log.h"

namespace fmn::web {
namespace {

// KEYS: the buckets. ARGV[1]: now (Unix ms); then per bucket its rate (tokens a ms) and burst.
// Returns 1 when a token was taken from every bucket, 0 (nothing taken) otherwise.
constexpr std::string_view kTakeAll = R"lua(
local now = tonumber(ARGV[1])
local tokens, at = {}, {}
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local t, last = tonumber(state[1]), tonumber(state[2])
  if t == nil or last == nil then t, last = burst, now end
  if now > last then
    t = math.min(burst, t + (now - last) * rate)
    last = now
  end
  if t < 1 then return 0 end
  tokens[i], at[i] = t - 1, last
end
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  redis.call('HSET', KEYS[i], 'tokens', string.format('%.17g', tokens[i]), 'at', at[i])
  redis.call('PEXPIRE', KEYS[i], math.ceil((burst - tokens[i]) / rate) + 1000)
end
return 1
)lua";

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace

Take RedisRateBuckets::take_all(std::span<const BucketTake> buckets) {
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch())
          .count();
  std::vector<std::string> args;  // the strings argv points into; reserved so they stay put
  args.reserve(2 * buckets.size() + 2);
  args.push_back(std::to_string(buckets.size()));
  for (const BucketTake& b : buckets) {
    args.push_back(redis_->config().prefix + "web:limit:" + bounded_id(b.key));
  }
  args.push_back(std::to_string(now_ms));
  for (const BucketTake& b : buckets) {
    args.push_back(number(b.rate_per_second / 1000.0));
    args.push_back(number(b.burst));
  }
  std::vector<std::string_view> argv{"EVAL", kTakeAll};
  argv.insert(argv.end(), args.begin(), args.end());
  auto reply = redis_->command(argv);
  if (!reply) {
    unavailable_.fetch_add(1, std::memory_order_relaxed);
    log::warn("web_rate_limits_unavailable",
              {{"redis", redis_->describe()}, {"error", reply.error().message}});
    return Take::kUnavailable;
  }
  return reply->integer == 1 ? Take::kTaken : Take::kRefused;
}

}  // namespace fmn::web
