#include "sinks/digest_store_factory.h"

#include "core/log.h"
#include "sinks/memory_digest_store.h"

namespace fmn::sinks {

Result<std::unique_ptr<DigestStore>> open_digest_store(const std::optional<RedisConfig>& redis) {
  if (!redis) {
    log::warn("digest_store", {{"store", "memory"},
                               {"durable",
                                "no: pending digests and dedupe state are lost on restart; "
                                "configure Redis to keep them"}});
    return std::unique_ptr<DigestStore>(std::make_unique<MemoryDigestStore>());
  }
  auto store = RedisDigestStore::connect(*redis);
  if (!store) return store.error();
  log::info("digest_store", {{"store", (*store)->describe()}, {"durable", "yes"}});
  return std::unique_ptr<DigestStore>(std::move(store.value()));
}

RedisConfig kind_digest_redis(RedisConfig redis, DestinationKind kind) {
  redis.prefix += std::string(destination_kind_name(kind)) + ":";
  return redis;
}

}  // namespace fmn::sinks
