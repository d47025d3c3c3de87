// Opens the digest store the configuration asks for: Redis when an address is given (durable,
// shared by restarts), memory otherwise (the embedded default). Says which in the start-up log,
// and warns that in-memory pending digests and dedupe state do not survive a restart.
#pragma once

#include <memory>
#include <optional>

#include "core/destination_kinds.h"
#include "core/result.h"
#include "sinks/digest_store.h"
#include "sinks/redis_digest_store.h"

namespace fmn::sinks {

// kIo when Redis is configured but unreachable: the service should not start silently without
// the durability it was asked for.
Result<std::unique_ptr<DigestStore>> open_digest_store(const std::optional<RedisConfig>& redis);

// The Redis settings of the digest store of one destination kind: each kind's batcher has its
// own store under its own key prefix ("fmn:email:"), so a store's due and in-flight lists are
// all its batcher flushes. The service and `fmn-prefs digests` both find the stores this way.
RedisConfig kind_digest_redis(RedisConfig redis, DestinationKind kind);

}  // namespace fmn::sinks
