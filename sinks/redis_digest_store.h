// A DigestStore in Redis (hiredis), shared by restarts and by every instance of a shard:
//   <prefix>digest:<key>   list of pending items       <prefix>due      zset key -> due ms
//   <prefix>flight:<key>   list of items in flight     <prefix>flight   set of keys in flight
//   <prefix>seen:<id>      dedupe marker with TTL (SET NX EX)
// Ids and keys longer than kMaxPlainId bytes are stored by their SHA-256 (core/bounded_id.h), so
// no Redis key or set member grows with a message's msg_id. Each operation is one atomic
// server-side script, so a crash between two commands cannot lose or duplicate an item. A lost
// connection is retried once per call, then reported as kIo. One thread at a time.
#pragma once

#include <memory>
#include <string>

#include "sinks/digest_store.h"
#include "sinks/redis_connection.h"

namespace fmn::sinks {

class RedisDigestStore : public DigestStore {
 public:
  // Connects and checks the server answers; kIo when it does not.
  static Result<std::unique_ptr<RedisDigestStore>> connect(RedisConfig config);
  ~RedisDigestStore() override;

  Result<bool> mark_once(std::string_view id) override;
  Result<bool> seen(std::string_view id) override;
  Result<bool> forget(std::string_view id) override;
  Result<size_t> add(std::string_view key, std::string_view id, std::string_view item,
                     int64_t due_ms, int64_t hold_ms) override;
  Result<std::vector<std::string>> due(int64_t now_ms) override;
  Result<std::vector<std::string>> take(std::string_view key) override;
  Result<bool> done(std::string_view key) override;
  Result<std::vector<std::string>> in_flight() override;
  Result<std::vector<PendingDigest>> pending() override;
  Result<bool> expedite(std::string_view key, int64_t due_ms) override;
  std::string describe() const override;

 private:
  RedisDigestStore(RedisConfig config, std::unique_ptr<RedisConnection> redis)
      : config_(std::move(config)), redis_(std::move(redis)) {}

  RedisConfig config_;
  std::unique_ptr<RedisConnection> redis_;
};

}  // namespace fmn::sinks
