// ZmqPublisher: a ZeroMQ PUB endpoint on tcp://127.0.0.1:<port> that plays fedmsg messages
// (two frames: topic, JSON envelope), as Fedora's bus does.
//
// It is an XPUB socket, so wait_for_subscriptions() can block until subscribers are connected
// and subscribed (each subscription counts, even to a prefix already subscribed to): messages
// sent before that are lost, as with any PUB socket. The send queue is
// unbounded (no high-water-mark drops) so a slow test subscriber loses nothing. stop() and
// restart() close and rebind the socket on the same port; subscribers reconnect by themselves
// and resend their subscriptions once their owner thread next uses the SUB socket.
// Move-only; not thread-safe.
//
//   auto pub = ZmqPublisher::start();
//   ASSERT_TRUE(pub.ok()) << pub.error().message;
//   sub.connect(pub->endpoint());  sub.set(zmq::sockopt::subscribe, "");
//   ASSERT_TRUE(pub->wait_for_subscriptions(1, 5s).ok());
//   ASSERT_TRUE(pub->publish(topic, json).ok());
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <zmq.hpp>

#include "tests/support/child_process.h"
#include "tests/support/status.h"

namespace fmn::test {

struct BusMessage {
  std::string topic;
  std::string json;  // the envelope
};

class ZmqPublisher {
 public:
  // `port` 0: a port the kernel picks.
  static Result<ZmqPublisher> start(int port = 0);

  const std::string& endpoint() const { return endpoint_; }  // "tcp://127.0.0.1:N"
  int port() const { return port_; }

  // Waits (bounded) until `count` subscriptions arrived since start or restart.
  Status wait_for_subscriptions(size_t count, Duration timeout);
  Status publish(std::string_view topic, std::string_view json);
  Status play(const std::vector<BusMessage>& messages);

  Status stop();     // closes the socket; subscribers see the peer go away
  Status restart();  // binds the same port again

 private:
  ZmqPublisher() : context_(std::make_unique<zmq::context_t>()) {}
  Status bind(int port);

  std::unique_ptr<zmq::context_t> context_;  // declared first: outlives the socket
  std::unique_ptr<zmq::socket_t> socket_;
  std::string endpoint_;
  int port_ = 0;
  size_t subscriptions_ = 0;
};

// The messages of a JSON-lines corpus file, the topic of each taken from its envelope.
Result<std::vector<BusMessage>> read_bus_messages(const std::filesystem::path& jsonl);

}  // namespace fmn::test
