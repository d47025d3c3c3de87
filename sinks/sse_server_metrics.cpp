#include "sinks/sse_server_metrics.h"

namespace fmn::sinks {

metrics::Histogram& sse_event_latency(metrics::Registry& registry) {
  return registry.histogram(
      "fmn_sse_event_latency_seconds",
      "From an event's publication to its being written to an SSE client's socket (once per "
      "client; replays and catch-ups after a lag not counted).",
      metrics::latency_buckets());
}

void register_sse_metrics(const SseServer& server, metrics::Registry& registry) {
  const SseServer* sse = &server;
  auto counter = [&](const char* name, const char* help, uint64_t (SseServer::*read)() const) {
    registry.counter_fn(name, help, [sse, read] { return static_cast<double>((sse->*read)()); });
  };
  auto gauge = [&](const char* name, const char* help, size_t (SseServer::*read)() const) {
    registry.gauge_fn(name, help, [sse, read] { return static_cast<double>((sse->*read)()); });
  };
  server.listener().register_metrics(registry);
  counter("fmn_sse_oversized_events_total",
          "SSE events dropped for exceeding the event size limit.", &SseServer::oversized_events);
  gauge("fmn_sse_clients", "Connected SSE streaming clients.", &SseServer::clients);
  gauge("fmn_sse_memory_bytes",
        "Bytes the SSE server holds for events: pending publishes, backlog, client queues.",
        &SseServer::memory_bytes);
  counter("fmn_sse_lags_total",
          "Times an SSE client fell behind (its queue or the shared budget full) and was "
          "skipped live events until it drained.",
          &SseServer::lags);
  counter("fmn_sse_lag_notices_total",
          "\"missed\" events sent to SSE clients that lagged beyond what the backlog held.",
          &SseServer::lag_notices);
  counter("fmn_sse_missed_events_total",
          "Events SSE clients were told they missed (lagged beyond the backlog).",
          &SseServer::missed_events);
  counter("fmn_sse_slow_disconnects_total",
          "SSE clients disconnected because their socket took no data for the idle timeout.",
          &SseServer::slow_disconnects);
  counter("fmn_sse_backlog_store_errors_total",
          "Events not written to the SSE backlog in Redis, and failed reads of it.",
          &SseServer::store_errors);
  counter("fmn_sse_publish_waits_total",
          "SSE publishes that waited for the server to catch up (back-pressure).",
          &SseServer::publish_waits);
}

}  // namespace fmn::sinks
