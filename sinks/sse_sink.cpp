#include "sinks/sse_sink.h"

namespace fmn::sinks {

void SseSink::deliver(std::span<const Notification> batch) {
  for (const Notification& n : batch) {
    const std::string& feed = n.address.empty() ? n.user : n.address;
    if (!is_valid_feed_name(feed)) {
      counters_.rejected.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    std::string json;
    if (renderer_.sse_json(n, json, server_.max_event_bytes())) {
      counters_.truncated.fetch_add(1, std::memory_order_relaxed);
    }
    server_.publish(feed, std::move(json));
    counters_.delivered.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace fmn::sinks
