// A Source consuming fedora-messaging from RabbitMQ (AMQP 0-9-1, rabbitmq-c).
//
// It declares its own durable queue, binds it to the exchange (`amq.topic`) for each routing-key
// pattern, limits unacknowledged deliveries with basic.qos, and consumes with explicit acks.
// Each delivery becomes a fedmsg envelope (bus/amqp_envelope.h); its `origin` identifies the
// delivery for settle().
//
// Acknowledgement: the pipeline calls settle() with the origins of messages that have fully
// passed it (every notification handed to its sink or digest store, or none caused). The
// source then records their ids in the CompletionLog, if any, and acks them; until then the
// broker keeps them and redelivers them to the next consumer if this one dies. A redelivered
// message whose id the log holds is acked without being handed out. Poison (not JSON in UTF-8)
// is rejected without requeue, counted and logged, and never handed out.
//
// Connection: the URLs are tried in turn; a lost connection, a closed channel or a consumer
// cancel notification (the queue was deleted, the node went down) reconnects with exponential
// backoff plus jitter, and declares, binds and consumes again. Deliveries handed out before a
// reconnect can no longer be acked on the new channel: the broker redelivers them, and the
// completion log (or the in-process duplicate filter) recognises them. Heartbeats are answered
// while next_batch() runs.
//
// Thread-safety: next_batch() and finish() from one thread at a time (rabbitmq-c connections
// are single-threaded); settle(), stop(), stats() and connected() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "bus/completion_log.h"
#include "bus/source.h"
#include "core/result.h"

namespace fmn::bus {

struct AmqpSourceOptions {
  std::vector<std::string> urls;  // amqp://user:pass@host:port/vhost or amqps://...
  std::string queue = "fmn";      // durable; one per instance or shard
  std::string exchange = "amq.topic";
  std::string queue_type = "classic";      // or "quorum" (x-queue-type, fixed at declaration)
  std::vector<std::string> bindings{"#"};  // routing-key patterns
  uint16_t prefetch = 1000;                // unacknowledged deliveries at most
  std::chrono::seconds heartbeat{30};      // 0: none
  std::string ca_cert;                     // amqps: PEM file the broker's certificate chains to
  std::string client_cert, client_key;     // amqps: PEM files of a client certificate
  std::chrono::milliseconds reconnect_min{200}, reconnect_max{10000};
  std::chrono::milliseconds poll_interval{50};
  CompletionLog* completed = nullptr;  // optional; must outlive the source
};

struct AmqpSourceStats {
  uint64_t received = 0;      // deliveries handed out
  uint64_t acked = 0;         // acknowledged, completed ones included
  uint64_t rejected = 0;      // poison, rejected without requeue
  uint64_t redelivered = 0;   // deliveries flagged as redelivered by the broker
  uint64_t already_done = 0;  // redeliveries found in the completion log and acked at once
  uint64_t reconnects = 0;    // connections opened after the first
  uint64_t cancelled = 0;     // consumer cancel notifications from the broker
};

class AmqpSource : public Source {
 public:
  // Checks the options (URLs parse, TLS files given for amqps with a client certificate); the
  // first connection is made by next_batch(), so a broker that is down at start-up is waited
  // for. Errors: kInvalidConfig.
  static Result<std::unique_ptr<AmqpSource>> create(AmqpSourceOptions options);
  ~AmqpSource() override;

  // Blocks until at least one message arrives, connecting as needed; sends pending acks while
  // it waits. Returns false once stopped.
  bool next_batch(std::vector<RawMessage>& out, size_t max) override;

  // The messages with these origins have fully passed the pipeline. Any thread.
  void settle(std::span<const uint64_t> origins);
  // Called by next_batch() before each wait for deliveries (every millisecond or so while
  // messages are in flight): where the pipeline checks what has settled, so acks follow the
  // sinks closely. REQUIRES: next_batch() is not running (set it before the pipeline starts).
  void set_waiting_hook(std::function<void()> hook) { waiting_hook_ = std::move(hook); }
  // Sends the acks settled so far and closes the connection. Call once the pipeline is drained.
  void finish();

  void stop() override { stopping_.store(true, std::memory_order_relaxed); }
  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  AmqpSourceStats stats() const;

 private:
  struct Connection;
  explicit AmqpSource(AmqpSourceOptions options);
  bool connect();
  void disconnect(const std::string& why);
  // Reads one delivery (waiting up to `wait`); false when none came or the connection failed.
  bool receive_one(std::vector<RawMessage>& out, std::chrono::milliseconds wait);
  void flush_settled();
  bool ack(uint64_t tag, bool multiple);
  void reject(uint64_t tag);

  AmqpSourceOptions options_;
  std::unique_ptr<Connection> conn_;
  uint64_t generation_ = 0;  // connection count; the high bits of an origin
  size_t next_url_ = 0;
  int failures_ = 0;
  std::chrono::steady_clock::time_point next_attempt_{};
  struct InFlight {
    uint64_t origin;
    bool settled;
    std::string msg_id;  // with a completion log only
  };
  // Handed out and not yet settled, oldest first (origins ascend); settled ones leave from the
  // front, so a message settled early waits there for those before it.
  std::deque<InFlight> in_flight_;
  std::function<void()> waiting_hook_;

  std::mutex settled_mu_;
  std::vector<uint64_t> settled_;   // guarded by settled_mu_
  std::vector<uint64_t> settling_;  // flush_settled()'s, swapped with settled_
  std::vector<std::string> completed_ids_;

  std::atomic<bool> stopping_{false}, connected_{false};
  std::atomic<uint64_t> received_{0}, acked_{0}, rejected_{0}, redelivered_{0}, already_done_{0},
      reconnects_{0}, cancelled_{0};
};

}  // namespace fmn::bus
