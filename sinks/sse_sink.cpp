#include "sinks/sse_sink.h"

#include <thread>

#include "core/bounded_id.h"
#include "core/log.h"
#include "sinks/notification_codec.h"

namespace fmn::sinks {

uint64_t SseSink::publish(const Notification& n) {
  const std::string_view feed = n.address().empty() ? n.user() : n.address();
  if (!is_valid_feed_name(feed)) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  std::string key = bounded_id(delivery_id(n));
  // A message that may have come this way before (read back from the outbox, redelivered by the
  // broker): its event kept in Redis then is the mark that it was delivered.
  if (n.message->redelivered && server_.holds(std::string(feed), key)) {
    already_published_.fetch_add(1, std::memory_order_relaxed);
    log::info("sse_already_published", {{"feed", feed}, {"msg_id", bounded_id(n.message->msg_id)}});
    return 0;
  }
  std::string json;
  if (renderer_.sse_json(n, json, server_.max_event_bytes())) {
    counters_.truncated.fetch_add(1, std::memory_order_relaxed);
  }
  const uint64_t place = server_.publish(std::string(feed), std::move(json), std::move(key));
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
  // Redis' writer usually keeps them within a round trip: waiting for it here, briefly, keeps
  // short the time an event is kept while its outbox entry is still there (a crash then
  // publishes it again); a slow Redis leaves them to the ticks.
  wait_kept(kKeptWait);
}

void SseSink::settle_kept() {
  const uint64_t kept = server_.stored_through();
  while (!unkept_.empty() && unkept_.front().first <= kept) {
    unkept_.front().second();
    unkept_.pop_front();
  }
}

void SseSink::wait_kept(std::chrono::milliseconds longest) {
  const auto deadline = std::chrono::steady_clock::now() + longest;
  settle_kept();
  while (!unkept_.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    settle_kept();
  }
}

size_t SseSink::drain(std::chrono::milliseconds grace) {
  wait_kept(grace);
  return unkept_.size();
}

}  // namespace fmn::sinks
