// A Source subscribed to fedmsg over ZeroMQ: one SUB socket connected to any number of
// endpoints (hubs, gateways, relays) and/or bound to some (relay-style, where publishers
// connect), filtered by topic prefixes.
//
// Each ZeroMQ message is the fedmsg wire form, two frames: topic, JSON envelope. A one-frame
// message is taken as an envelope with no topic frame; a message of three frames or more is
// dropped, counted malformed and logged (`bus_malformed`: frame count, size, the start of its
// first frame). `origin` is a receive counter starting at 1.
//
// ZeroMQ reconnects by itself, backing off from `reconnect_ivl` to `reconnect_ivl_max`; messages
// published while a connection is down are lost, which sequence tracking reports as gaps. Past
// `rcvhwm` queued messages per connection ZeroMQ drops too.
//
// ZeroMQ does a socket's bookkeeping in the thread that calls it: a bound source takes in a
// publisher that connects (and sends it the subscriptions) only while next_batch() runs, so
// a publisher waiting for subscribers needs the receiving side to be reading already.
//
// Thread-safety: next_batch() from one thread at a time; stop(), stats() and endpoints() from
// any thread. A blocked next_batch() notices stop() within `poll_interval`.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bus/counter.h"
#include "bus/source.h"
#include "core/result.h"

namespace zmq {
class context_t;
class socket_t;
}  // namespace zmq

namespace fmn::bus {

struct ZmqSourceOptions {
  std::vector<std::string> connect;  // e.g. "tcp://hub.fedoraproject.org:9940"
  std::vector<std::string> bind;     // e.g. "tcp://127.0.0.1:*" (the port is chosen by the OS)
  std::vector<std::string> topics;   // prefixes to subscribe to; empty means everything
  int rcvhwm = 100000;               // messages queued per connection; 0 = unlimited
  std::chrono::milliseconds reconnect_ivl{100};
  std::chrono::milliseconds reconnect_ivl_max{5000};
  std::chrono::milliseconds poll_interval{100};
  // Once a batch has its first message, how long next_batch() waits for it to fill: a batch
  // is handed over when full or when this has passed. 0 (the default): hand over what is
  // queued at once. The graph reads the bus on a thread of its own, so batches grow under load
  // by themselves; a wait only delays the first message of each (docs/operations.md).
  std::chrono::microseconds batch_wait{0};
};

struct ZmqSourceStats {
  uint64_t received = 0;   // messages handed out
  uint64_t malformed = 0;  // dropped: more than two frames
};

class ZmqSource : public Source {
 public:
  // Creates the socket, binds and connects. `context` (optional; needed for inproc:// endpoints
  // shared with another socket) must outlive the source; without one the source owns its own.
  // Errors (kIo, kInvalidConfig) name the endpoint that failed.
  static Result<std::unique_ptr<ZmqSource>> create(const ZmqSourceOptions& options,
                                                   zmq::context_t* context = nullptr);
  ~ZmqSource() override;

  // Blocks until at least one message arrives, then takes what arrives, up to `max`, for at
  // most `batch_wait`. Returns false once stopped.
  bool next_batch(std::vector<RawMessage>& out, size_t max) override;

  void stop() override { stopping_.store(true, std::memory_order_relaxed); }
  ZmqSourceStats stats() const { return {received_.get(), malformed_.get()}; }
  // The bound endpoints, with OS-chosen ports resolved ("tcp://127.0.0.1:41234").
  const std::vector<std::string>& endpoints() const { return endpoints_; }

 private:
  ZmqSource(std::unique_ptr<zmq::context_t> owned, zmq::context_t& context,
            std::chrono::milliseconds poll_interval, std::chrono::microseconds batch_wait);
  // Receives one message without waiting; false when none is queued.
  bool receive_one(std::vector<RawMessage>& out);
  // Receives until `out` holds `limit` messages or `batch_wait_` has passed.
  void fill(std::vector<RawMessage>& out, size_t limit);

  std::unique_ptr<zmq::context_t> owned_context_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::chrono::milliseconds poll_interval_;
  std::chrono::microseconds batch_wait_;
  std::vector<std::string> endpoints_;
  std::atomic<bool> stopping_{false};
  SingleWriterCounter received_, malformed_;
};

}  // namespace fmn::bus
