// The SSE server: GET /feeds/<feed> streams a feed's events as text/event-stream to any number
// of clients, and GET /feeds/<feed>/page serves a small HTML page showing the feed live with
// EventSource.
//
// Boost.Beast/Asio (Debian libboost-dev): every client is an asynchronous socket, so thousands
// of idle EventSource connections cost memory, not threads (cpp-httplib would hold a pool thread
// per open stream). There are `network_threads` network threads, each with an io_context of its
// own; accepted connections are spread over them in turn, and a connection stays on its thread
// for life, so everything about one client is single-threaded without strands or locks. A
// published event is appended to the backlog once, then each thread is handed the batch once
// and offers it to its own clients of the feed: one cross-thread post per thread per batch,
// where one io_context run by all threads would need a post to each client's strand per batch.
// Authentication: the feed's token in the query (?token=) or an "Authorization: Bearer"
// header, checked by the FeedAuth callback; tokens are never logged.
// Each event has an "id:"; a client reconnecting with Last-Event-ID (header, or ?lastEventId=)
// first gets exactly the events after it that are still in the backlog (sse_backlog.h); a new
// client first gets the feed's recent events. With Redis configured the backlog is kept there
// too, so resuming reaches further back and survives a restart; those reads run on the Redis
// backlog's reader thread, never on a network thread, and the client gets live events again once
// it has caught up.
// Heartbeats (": ping") keep idle connections and proxies alive.
// Memory is bounded by design: each event is serialized once into a buffer every client's queue
// shares; the backlog holds at most `backlog_bytes` over all feeds; publish() waits while more
// than `pending_budget_bytes` are published but not yet handed to the clients, so a publisher
// faster than the network slows down instead of filling memory; the unsent events of one client
// are at most `max_queued_bytes`, of all clients at most `queued_budget_bytes`.
// Overload is shed fairly: a client whose queue is full, or finds the shared budget used up,
// lags: it is sent no live events until its queue has drained, then gets an "event: missed"
// (data {"missed":N}: events it will never see, reload to catch up) if the backlog no longer
// holds all it skipped, and resumes from the backlog. A drained client that finds no room in
// the shared budget for that waits in its network thread's first-come list, resumed as soon as
// other clients' writes or disconnections, on any thread, release enough (a few per release),
// not on the next event. Only a client whose socket has taken no
// data for `limits.idle_timeout` while data waits is disconnected as slow (its EventSource
// reconnects with its last id). All queued events of a client go out in one
// gathered write. An event's data is at most `max_event_bytes` (the SSE sink cuts longer ones
// short; the server drops one that is still longer, counted), so one event alone never makes a
// client lag; a replay sends only the newest events that fit in half the client queue. Connections
// are let in by a net::Listener (net/listener.h: per-address and global limits answered 503 +
// Retry-After, descriptor exhaustion shed through a reserve descriptor); a connection that has not
// sent its request headers within `limits.header_timeout` is closed. Event latency (publish() to
// the event written to a client's socket, once per client) is observed into `event_latency` when
// set. publish(), the counters and stop() are thread-safe; the backlog is shared by the network
// threads under a mutex, each session lives on one of them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/metrics.h"
#include "core/result.h"
#include "net/listener.h"
#include "sinks/sse_redis_backlog.h"

namespace fmn::sinks {

struct SseServerConfig {
  std::string bind = "127.0.0.1";
  int port = 0;  // 0: any free port (see port())
  std::chrono::milliseconds heartbeat{15'000};
  size_t network_threads = 1;  // 0: one per core
  size_t backlog_per_feed = 200;
  size_t backlog_bytes = size_t{128} << 20;        // all feeds' recent events together
  size_t max_queued_bytes = 1 << 20;               // one client's unsent events
  size_t queued_budget_bytes = size_t{256} << 20;  // all clients' unsent events
  size_t pending_budget_bytes = size_t{32} << 20;  // published, not yet handed to the clients
  size_t max_event_bytes = 64 * 1024;  // REQUIRES: 4096 <= max_event_bytes <= max_queued_bytes / 4
  // A client whose socket takes nothing for limits.idle_timeout while data waits is
  // disconnected as slow. REQUIRES: limits.idle_timeout > heartbeat.
  net::ListenerLimits limits{.idle_timeout = std::chrono::milliseconds(120'000)};
  // With Redis, the backlog is also kept there (sse_redis_backlog.h): a client resuming from an
  // id the memory store no longer reaches gets the rest from Redis, across restarts too.
  std::optional<SseRedisConfig> redis;
  // Seconds from publish() to a live event written to a client's socket; not owned, outlives
  // the server. Null: not measured.
  metrics::Histogram* event_latency = nullptr;
};

// True when `token` grants reading `feed`. Called on the network threads, possibly at once.
using FeedAuth = std::function<bool(std::string_view feed, std::string_view token)>;

class SseServer {
 public:
  // Binds, listens and starts the network threads. kIo when the address cannot be bound.
  static Result<std::unique_ptr<SseServer>> start(SseServerConfig config, FeedAuth auth);
  ~SseServer();  // stops

  int port() const;
  // Queues an event for `feed` (its data: usually one line of JSON). Thread-safe. Waits while
  // pending_budget_bytes are already waiting for the network threads (back-pressure); returns at
  // once after stop(), dropping the event. Returns the event's place among all published (1, 2,
  // ...; 0 when dropped: stopped, or over max_event_bytes), which stored_through() reaches once
  // the event is kept: in Redis when configured (or its write failed or was shed: counted in
  // store_errors()), otherwise in the memory backlog. `key` (a notification's delivery key) is
  // kept with the event in Redis, for holds().
  uint64_t publish(std::string feed, std::string data, std::string key = {});
  // Whether Redis holds an event published to `feed` with `key` (SseRedisBacklog::holds); false
  // without Redis. Blocks for Redis' answer. Thread-safe.
  bool holds(std::string feed, std::string key) const;
  // Every event published up to this place is kept (see publish()). Thread-safe.
  uint64_t stored_through() const;
  // Connected streaming clients.
  size_t clients() const;
  // Events queued for clients (one per client per event, replays included).
  uint64_t frames_sent() const;
  // Overload: times a client began to lag, "missed" notices sent, the events they announced,
  // clients disconnected because their socket stopped draining, publish() calls that waited.
  uint64_t lags() const;
  uint64_t lag_notices() const;
  uint64_t missed_events() const;
  uint64_t slow_disconnects() const;
  uint64_t publish_waits() const;
  // With Redis: events written to it, and failed reads or writes.
  uint64_t stored_events() const;
  uint64_t store_errors() const;
  // Bytes held for events: pending publishes, the backlog and every client's unsent queue
  // (shared buffers counted once per client, so an upper bound), now and at most so far.
  size_t memory_bytes() const;
  size_t peak_memory_bytes() const;
  // Events dropped for exceeding max_event_bytes. Thread-safe.
  uint64_t oversized_events() const;
  // Its listener: connections open and turned away, failed accepts.
  const net::Listener& listener() const;
  size_t max_event_bytes() const;
  void stop();

  class Impl;

 private:
  explicit SseServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Splits `bytes` between the backlog (a quarter), the clients' queues (a half) and pending
// publishes (a sixteenth); the rest is left for the connections themselves.
void apply_memory_budget(SseServerConfig& config, size_t bytes);

// A feed name usable in a URL path: 1-64 of [A-Za-z0-9._-].
bool is_valid_feed_name(std::string_view feed);

}  // namespace fmn::sinks
