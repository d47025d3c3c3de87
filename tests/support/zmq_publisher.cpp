#include "tests/support/zmq_publisher.h"

#include <fstream>
#include <thread>

#include "core/envelope_parser.h"
#include "tests/support/loopback.h"
#include "tests/support/server_process.h"

namespace fmn::test {
namespace {

Error io_error(std::string message) { return Error{ErrorCode::kIo, std::move(message)}; }

}  // namespace

Result<ZmqPublisher> ZmqPublisher::start(int port) {
  ZmqPublisher publisher;
  if (auto bound = publisher.bind(port); !bound.ok()) return bound.error();
  announce_real_server("ZeroMQ XPUB, libzmq " + std::to_string(ZMQ_VERSION_MAJOR) + "." +
                       std::to_string(ZMQ_VERSION_MINOR) + " in the test process, ready on " +
                       publisher.endpoint_);
  return publisher;
}

Status ZmqPublisher::bind(int port) {
  try {
    auto socket = std::make_unique<zmq::socket_t>(*context_, zmq::socket_type::xpub);
    socket->set(zmq::sockopt::sndhwm, 0);
    socket->set(zmq::sockopt::linger, 0);
    // Every subscription is reported, even one to a prefix another subscriber already has: a
    // subscriber that replaces a killed one may subscribe before the dead one's pipe is gone.
    socket->set(zmq::sockopt::xpub_verbose, 1);
    socket->bind("tcp://" + std::string(kLoopback) + ":" +
                 (port == 0 ? "*" : std::to_string(port)));
    endpoint_ = socket->get(zmq::sockopt::last_endpoint);
    port_ = std::stoi(endpoint_.substr(endpoint_.rfind(':') + 1));
    socket_ = std::move(socket);
    subscriptions_ = 0;
    return ok_status();
  } catch (const zmq::error_t& e) {
    return io_error("zmq: cannot bind 127.0.0.1:" + std::to_string(port) + ": " + e.what());
  }
}

Status ZmqPublisher::wait_for_subscriptions(size_t count, Duration timeout) {
  if (!socket_) return io_error("zmq publisher is stopped");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (subscriptions_ < count) {
    const auto left =
        std::chrono::duration_cast<Duration>(deadline - std::chrono::steady_clock::now());
    if (left <= Duration::zero()) {
      return io_error("zmq: " + std::to_string(subscriptions_) + " of " + std::to_string(count) +
                      " subscriptions on " + endpoint_ + " within " +
                      std::to_string(timeout.count()) + " ms");
    }
    zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, left);
    zmq::message_t event;
    // XPUB delivers (un)subscriptions as messages: 1 or 0, then the topic prefix.
    while (socket_->recv(event, zmq::recv_flags::dontwait)) {
      if (event.size() > 0 && event.data<unsigned char>()[0] == 1) ++subscriptions_;
    }
  }
  return ok_status();
}

Status ZmqPublisher::publish(std::string_view topic, std::string_view json) {
  if (!socket_) return io_error("zmq publisher is stopped");
  try {
    socket_->send(zmq::buffer(topic), zmq::send_flags::sndmore);
    socket_->send(zmq::buffer(json), zmq::send_flags::none);
    return ok_status();
  } catch (const zmq::error_t& e) {
    return io_error("zmq: send on " + endpoint_ + ": " + e.what());
  }
}

Status ZmqPublisher::play(const std::vector<BusMessage>& messages) {
  for (const auto& m : messages) {
    if (auto sent = publish(m.topic, m.json); !sent.ok()) return sent;
  }
  return ok_status();
}

Status ZmqPublisher::stop() {
  if (!socket_) return io_error("zmq publisher is already stopped");
  socket_.reset();
  return ok_status();
}

Status ZmqPublisher::restart() {
  socket_.reset();
  // libzmq releases the port in its I/O thread, a moment after the close.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto bound = bind(port_);
    if (bound.ok() || std::chrono::steady_clock::now() >= deadline) return bound;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Result<std::vector<BusMessage>> read_bus_messages(const std::filesystem::path& jsonl) {
  std::ifstream in(jsonl);
  if (!in) return io_error("cannot read " + jsonl.string());
  std::vector<BusMessage> messages;
  size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty()) continue;
    auto parsed = parse_envelope(line);
    if (!parsed.ok()) {
      return io_error(jsonl.string() + ":" + std::to_string(line_number) + ": " +
                      parsed.error().message);
    }
    messages.push_back({std::string(parsed.value()->topic), std::move(line)});
  }
  return messages;
}

}  // namespace fmn::test
