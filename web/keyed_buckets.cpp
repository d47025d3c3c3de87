#include "web/keyed_buckets.h"

namespace fmn::web {

sinks::TokenBucket& KeyedBuckets::at(std::string_view key,
                                     std::chrono::steady_clock::time_point now) {
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(key), sinks::TokenBucket(rate_, burst_, now)).first;
  }
  return it->second;
}

}  // namespace fmn::web
