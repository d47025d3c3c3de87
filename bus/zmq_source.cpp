#include "bus/zmq_source.h"

#include <poll.h>

#include <zmq.hpp>

#include "core/log.h"

namespace fmn::bus {
namespace {

Error zmq_error(const std::string& what, const zmq::error_t& e) {
  return Error{
      e.num() == EINVAL || e.num() == EPROTONOSUPPORT ? ErrorCode::kInvalidConfig : ErrorCode::kIo,
      what + ": " + e.what()};
}

}  // namespace

ZmqSource::ZmqSource(std::unique_ptr<zmq::context_t> owned, zmq::context_t& context,
                     std::chrono::milliseconds poll_interval, std::chrono::microseconds batch_wait)
    : owned_context_(std::move(owned)),
      socket_(std::make_unique<zmq::socket_t>(context, zmq::socket_type::sub)),
      poll_interval_(poll_interval),
      batch_wait_(batch_wait) {}

ZmqSource::~ZmqSource() {
  // The socket must close before the context it belongs to.
  socket_.reset();
  owned_context_.reset();
}

Result<std::unique_ptr<ZmqSource>> ZmqSource::create(const ZmqSourceOptions& options,
                                                     zmq::context_t* context) {
  if (options.connect.empty() && options.bind.empty()) {
    return Error{ErrorCode::kInvalidConfig, "no endpoint to connect to or bind"};
  }
  std::unique_ptr<zmq::context_t> owned;
  if (context == nullptr) {
    owned = std::make_unique<zmq::context_t>();
    context = owned.get();
  }
  std::unique_ptr<ZmqSource> source(
      new ZmqSource(std::move(owned), *context, options.poll_interval, options.batch_wait));
  zmq::socket_t& s = *source->socket_;
  try {
    s.set(zmq::sockopt::rcvhwm, options.rcvhwm);
    s.set(zmq::sockopt::reconnect_ivl, static_cast<int>(options.reconnect_ivl.count()));
    s.set(zmq::sockopt::reconnect_ivl_max, static_cast<int>(options.reconnect_ivl_max.count()));
    s.set(zmq::sockopt::linger, 0);
    if (options.topics.empty()) {
      s.set(zmq::sockopt::subscribe, "");
    } else {
      for (const std::string& prefix : options.topics) s.set(zmq::sockopt::subscribe, prefix);
    }
  } catch (const zmq::error_t& e) {
    return zmq_error("socket options", e);
  }
  for (const std::string& endpoint : options.bind) {
    try {
      s.bind(endpoint);
      source->endpoints_.push_back(s.get(zmq::sockopt::last_endpoint));
    } catch (const zmq::error_t& e) {
      return zmq_error("bind " + endpoint, e);
    }
  }
  for (const std::string& endpoint : options.connect) {
    try {
      s.connect(endpoint);
    } catch (const zmq::error_t& e) {
      return zmq_error("connect " + endpoint, e);
    }
  }
  return source;
}

bool ZmqSource::receive_one(std::vector<RawMessage>& out) {
  zmq::message_t first;
  if (!socket_->recv(first, zmq::recv_flags::dontwait)) return false;
  if (!first.more()) {
    received_.add();
    out.push_back(RawMessage{{}, first.to_string(), received_.get()});
    return true;
  }
  // The rest of a multipart message is always there once its first frame is.
  zmq::message_t second;
  (void)socket_->recv(second, zmq::recv_flags::none);
  if (second.more()) {
    int64_t frames = 2;
    size_t bytes = first.size() + second.size();
    zmq::message_t extra;
    do {
      (void)socket_->recv(extra, zmq::recv_flags::none);
      ++frames;
      bytes += extra.size();
    } while (extra.more());
    malformed_.add();
    constexpr size_t kTopicShown = 128;  // enough to tell who sent it, not a log flood
    log::warn("bus_malformed", {{"frames", frames},
                                {"bytes", static_cast<uint64_t>(bytes)},
                                {"topic", first.to_string_view().substr(0, kTopicShown)},
                                {"dropped", malformed_.get()}});
    return true;
  }
  received_.add();
  out.push_back(RawMessage{first.to_string(), second.to_string(), received_.get()});
  return true;
}

bool ZmqSource::next_batch(std::vector<RawMessage>& out, size_t max) {
  if (max == 0) return !stopping_.load(std::memory_order_relaxed);
  try {
    size_t before = out.size();
    zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
    for (;;) {
      while (out.size() - before < max && receive_one(out)) {
      }
      if (out.size() > before) {
        fill(out, before + max);
        return true;
      }
      if (stopping_.load(std::memory_order_relaxed)) return false;
      zmq::poll(&item, 1, poll_interval_);
    }
  } catch (const zmq::error_t&) {
    // Only the context being terminated under us gets here: the source is finished.
    return false;
  }
}

void ZmqSource::fill(std::vector<RawMessage>& out, size_t limit) {
  using Clock = std::chrono::steady_clock;
  if (batch_wait_.count() <= 0 || out.size() >= limit) return;
  const Clock::time_point deadline = Clock::now() + batch_wait_;
  const int fd = socket_->get(zmq::sockopt::fd);
  while (out.size() < limit) {
    if (receive_one(out)) continue;
    auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now());
    if (left.count() <= 0 || stopping_.load(std::memory_order_relaxed)) return;
    // ZMQ_FD signals edges, not levels: reading ZMQ_EVENTS re-arms it and says whether a
    // message came in since the last receive, so only then is it safe to sleep on it.
    if (socket_->get(zmq::sockopt::events) & ZMQ_POLLIN) continue;
    pollfd item{fd, POLLIN, 0};
    timespec timeout{static_cast<time_t>(left.count() / 1'000'000'000),
                     static_cast<long>(left.count() % 1'000'000'000)};
    ::ppoll(&item, 1, &timeout, nullptr);
  }
}

}  // namespace fmn::bus
