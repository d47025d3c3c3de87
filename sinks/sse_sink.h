// The SSE sink: renders each notification as an event's JSON (Renderer::sse_json) and
// publishes it on the SseServer to the destination's feed (the notification's address, or the
// user's name when the address is empty). Waits while the server is behind with its fan-out
// (SseServer::publish), so the pipeline's sink_queue bounds what waits for SSE, like for every
// other sink.
// An event larger than the server's max_event_bytes is published cut short, with a link to the
// whole message (Renderer::sse_json), and counted as truncated: one huge message never
// disconnects a feed's clients nor fills its backlog.
// A notification is settled (sinks/settled.h) once its event is kept, not when it is published:
// SseServer::stored_through() reaches it once Redis holds it (or, without Redis, once it is in the
// memory backlog), which deliver_confirmed() (waiting up to kKeptWait for it), tick() and
// drain() check. Until then its outbox
// entry stays, so a crash before the event is kept publishes it again after the restart.
// Each event is kept in Redis with its notification's delivery key (delivery_id()), and that is
// SSE's delivery mark (SseRedisBacklog): a notification whose message may have come before
// (Message::redelivered: an outbox entry taken back after a crash, a broker's redelivery) is not
// published again when Redis holds its event already (already_published()); it is settled as it was
// the first time. One thread at a time, like every Sink; the server outlives the sink, or the sink
// owns it (and stops it when destroyed).
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <utility>

#include "sinks/renderer.h"
#include "sinks/sink.h"
#include "sinks/sse_server.h"

namespace fmn::sinks {

class SseSink : public Sink {
 public:
  SseSink(SseServer& server, Renderer renderer = Renderer())
      : server_(server), renderer_(std::move(renderer)) {}
  explicit SseSink(std::unique_ptr<SseServer> server, Renderer renderer = Renderer())
      : owned_(std::move(server)), server_(*owned_), renderer_(std::move(renderer)) {}

  std::string_view name() const override { return "sse"; }
  void deliver(std::span<const Notification> batch) override;
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<NotificationSettled> settled) override;
  void tick() override { settle_kept(); }
  // Notifications not published because Redis held their event already.
  uint64_t already_published() const { return already_published_.load(); }
  // Waits up to `grace` for the events published to be kept; returns how many are not.
  size_t drain(std::chrono::milliseconds grace) override;

 private:
  // Publishes `n`'s event; its place (SseServer::publish()), 0 when none was published.
  uint64_t publish(const Notification& n);
  // Settles the notifications whose events are kept by now.
  void settle_kept();
  // settle_kept() until every event published is kept, for at most `longest`.
  void wait_kept(std::chrono::milliseconds longest);
  static constexpr std::chrono::milliseconds kKeptWait{50};

  std::unique_ptr<SseServer> owned_;  // null when the server is the caller's
  SseServer& server_;
  Renderer renderer_;
  std::deque<std::pair<uint64_t, NotificationSettled>> unkept_;  // by place, oldest first
  std::atomic<uint64_t> already_published_{0};
};

}  // namespace fmn::sinks
