#include "sinks/sse_sink.h"

#include <thread>

namespace fmn::sinks {

uint64_t SseSink::publish(const Notification& n) {
  const std::string& feed = n.address.empty() ? n.user : n.address;
  if (!is_valid_feed_name(feed)) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  std::string json;
  if (renderer_.sse_json(n, json, server_.max_event_bytes())) {
    counters_.truncated.fetch_add(1, std::memory_order_relaxed);
  }
  const uint64_t place = server_.publish(feed, std::move(json));
  counters_.delivered.fetch_add(1, std::memory_order_relaxed);
  return place;
}

void SseSink::deliver(std::span<const Notification> batch) {
  for (const Notification& n : batch) publish(n);
}

void SseSink::deliver_confirmed(std::span<const Notification> batch,
                                std::span<NotificationSettled> settled) {
  for (size_t i = 0; i < batch.size(); ++i) {
    const uint64_t place = publish(batch[i]);
    if (place == 0) {
      settled[i]();  // nothing published: nothing to keep
    } else {
      unkept_.emplace_back(place, std::move(settled[i]));
    }
  }
  settle_kept();
}

void SseSink::settle_kept() {
  const uint64_t kept = server_.stored_through();
  while (!unkept_.empty() && unkept_.front().first <= kept) {
    unkept_.front().second();
    unkept_.pop_front();
  }
}

size_t SseSink::drain(std::chrono::milliseconds grace) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  settle_kept();
  while (!unkept_.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    settle_kept();
  }
  return unkept_.size();
}

}  // namespace fmn::sinks
