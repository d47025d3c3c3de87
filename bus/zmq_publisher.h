// A fedmsg publisher on ZeroMQ: sends two-frame messages (topic, JSON envelope) from an XPUB
// socket bound to and/or connected to endpoints, like fedmsg-logger or fedmsg-relay.
//
// XPUB rather than PUB so the publisher sees subscriptions arrive: wait_for_subscriptions() is
// the cure for ZeroMQ's "slow joiner" (a PUB drops what it sends before a subscriber's
// subscription reached it). With `block_when_full`, send() waits for a slow subscriber instead
// of dropping past `sndhwm` (ZMQ_XPUB_NODROP): nothing published is lost while subscribers live.
// On destruction, unsent messages get up to `linger` to leave.
//
// Thread-compatible: one thread uses a publisher.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace zmq {
class context_t;
class socket_t;
}  // namespace zmq

namespace fmn::bus {

struct ZmqPublisherOptions {
  std::vector<std::string> bind;  // e.g. "tcp://127.0.0.1:9940"; "tcp://127.0.0.1:*" picks a port
  std::vector<std::string> connect;  // e.g. a relay's bound SUB socket
  int sndhwm = 100000;               // messages queued per subscriber; 0 = unlimited
  bool block_when_full = true;
  std::chrono::milliseconds linger{5000};
};

class ZmqPublisher {
 public:
  // `context` as for ZmqSource::create(). Errors name the endpoint that failed.
  static Result<std::unique_ptr<ZmqPublisher>> create(const ZmqPublisherOptions& options,
                                                      zmq::context_t* context = nullptr);
  ~ZmqPublisher();

  // Waits until `count` subscriptions (one per subscriber and topic prefix) are active, or
  // `timeout` passes. Returns the number active.
  size_t wait_for_subscriptions(size_t count, std::chrono::milliseconds timeout);

  // Sends one message. False when it was dropped (a full queue without block_when_full) or the
  // socket failed.
  bool send(std::string_view topic, std::string_view payload);

  // The bound endpoints, with OS-chosen ports resolved.
  const std::vector<std::string>& endpoints() const { return endpoints_; }

 private:
  ZmqPublisher(std::unique_ptr<zmq::context_t> owned, zmq::context_t& context);
  // Counts the subscription messages queued on the socket, without waiting.
  void read_subscriptions();

  std::unique_ptr<zmq::context_t> owned_context_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::vector<std::string> endpoints_;
  size_t subscriptions_ = 0;
};

}  // namespace fmn::bus
