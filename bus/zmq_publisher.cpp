#include "bus/zmq_publisher.h"

#include <zmq.hpp>

namespace fmn::bus {

ZmqPublisher::ZmqPublisher(std::unique_ptr<zmq::context_t> owned, zmq::context_t& context)
    : owned_context_(std::move(owned)),
      socket_(std::make_unique<zmq::socket_t>(context, zmq::socket_type::xpub)) {}

ZmqPublisher::~ZmqPublisher() {
  // Closing the socket hands queued messages to the context, which flushes them (up to the
  // linger period) when it terminates.
  socket_.reset();
  owned_context_.reset();
}

Result<std::unique_ptr<ZmqPublisher>> ZmqPublisher::create(const ZmqPublisherOptions& options,
                                                           zmq::context_t* context) {
  if (options.connect.empty() && options.bind.empty()) {
    return Error{ErrorCode::kInvalidConfig, "no endpoint to bind or connect to"};
  }
  std::unique_ptr<zmq::context_t> owned;
  if (context == nullptr) {
    owned = std::make_unique<zmq::context_t>();
    context = owned.get();
  }
  std::unique_ptr<ZmqPublisher> publisher(new ZmqPublisher(std::move(owned), *context));
  zmq::socket_t& s = *publisher->socket_;
  std::string step = "socket options";
  try {
    s.set(zmq::sockopt::sndhwm, options.sndhwm);
    s.set(zmq::sockopt::linger, static_cast<int>(options.linger.count()));
    s.set(zmq::sockopt::xpub_verbose, 1);  // report every subscriber's subscription
    s.set(zmq::sockopt::xpub_nodrop, options.block_when_full ? 1 : 0);
    for (const std::string& endpoint : options.bind) {
      step = "bind " + endpoint;
      s.bind(endpoint);
      publisher->endpoints_.push_back(s.get(zmq::sockopt::last_endpoint));
    }
    for (const std::string& endpoint : options.connect) {
      step = "connect " + endpoint;
      s.connect(endpoint);
    }
  } catch (const zmq::error_t& e) {
    return Error{e.num() == EINVAL || e.num() == EPROTONOSUPPORT ? ErrorCode::kInvalidConfig
                                                                 : ErrorCode::kIo,
                 step + ": " + e.what()};
  }
  return publisher;
}

void ZmqPublisher::read_subscriptions() {
  zmq::message_t m;
  while (socket_->recv(m, zmq::recv_flags::dontwait)) {
    // A subscription message is one byte (1 subscribe, 0 unsubscribe) and the topic prefix.
    if (m.size() == 0) continue;
    uint8_t kind = *static_cast<const uint8_t*>(m.data());
    if (kind == 1) {
      ++subscriptions_;
    } else if (kind == 0 && subscriptions_ > 0) {
      --subscriptions_;
    }
  }
}

size_t ZmqPublisher::wait_for_subscriptions(size_t count, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
  try {
    for (;;) {
      read_subscriptions();
      if (subscriptions_ >= count || std::chrono::steady_clock::now() >= deadline) break;
      zmq::poll(&item, 1,
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now()) +
                    std::chrono::milliseconds(1));
    }
  } catch (const zmq::error_t&) {
    // A terminated context: report what was seen.
  }
  return subscriptions_;
}

bool ZmqPublisher::send(std::string_view topic, std::string_view payload) {
  try {
    if (!socket_->send(zmq::buffer(topic), zmq::send_flags::sndmore)) return false;
    return socket_->send(zmq::buffer(payload), zmq::send_flags::none).has_value();
  } catch (const zmq::error_t&) {
    return false;
  }
}

}  // namespace fmn::bus
