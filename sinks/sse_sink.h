// The SSE sink: renders each notification as an event's JSON (Renderer::sse_json) and
// publishes it on the SseServer to the destination's feed (the notification's address, or the
// user's name when the address is empty). Waits while the server is behind with its fan-out
// (SseServer::publish), so the pipeline's sink_queue bounds what waits for SSE, like for every
// other sink.
// An event larger than the server's max_event_bytes is published cut short, with a link to the
// whole message (Renderer::sse_json), and counted as truncated: one huge message never
// disconnects a feed's clients nor fills its backlog.
// One thread at a time, like every Sink; the server outlives the sink, or the sink owns it (and
// stops it when destroyed).
#pragma once

#include <memory>

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

 private:
  std::unique_ptr<SseServer> owned_;  // null when the server is the caller's
  SseServer& server_;
  Renderer renderer_;
};

}  // namespace fmn::sinks
