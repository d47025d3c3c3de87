#include "net/listener.h"

#include <atomic>
#include <boost/asio.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/log.h"
#include "net/connection_shedding.h"
#include "net/tcp_acceptor.h"

namespace fmn::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string_view refusal_name(Refusal reason) {
  switch (reason) {
    case Refusal::kPerAddress:
      return "per_address";
    case Refusal::kTotal:
      return "total";
    case Refusal::kNoDescriptors:
      return "no_descriptors";
  }
  return "unknown";
}

// What outlives the listener: the open connections (their slots) and the counters (the
// metrics registry reads them).
struct ListenerState {
  std::string name;
  ListenerLimits limits;
  std::mutex mu;  // guards per_address
  std::unordered_map<std::string, size_t> per_address;
  std::atomic<size_t> open{0};
  std::atomic<uint64_t> accept_errors{0};
  std::atomic<uint64_t> refused[std::size(kRefusals)] = {};

  // Counts a connection from `address` open, or says why it may not be.
  std::optional<Refusal> admit(const std::string& address) {
    std::lock_guard lock(mu);
    if (open.load() >= limits.max_connections) return Refusal::kTotal;
    size_t& from_address = per_address[address];
    if (from_address >= limits.max_connections_per_ip) {
      if (from_address == 0) per_address.erase(address);
      return Refusal::kPerAddress;
    }
    ++from_address;
    ++open;
    return std::nullopt;
  }
  void release(const std::string& address) {
    std::lock_guard lock(mu);
    --open;
    const auto it = per_address.find(address);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  }
  void count(Refusal reason) {
    refused[static_cast<size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
  }
};

ConnectionSlot::ConnectionSlot(std::shared_ptr<ListenerState> state, std::string address)
    : state_(std::move(state)), address_(std::move(address)) {}

ConnectionSlot::~ConnectionSlot() {
  if (state_) state_->release(address_);
}

class Listener::Impl {
 public:
  Impl(asio::io_context& io, std::shared_ptr<ListenerState> state)
      : io_(io),
        state_(std::move(state)),
        acceptor_(asio::make_strand(io)),  // accepts, retries and close() one at a time
        accept_retry_(acceptor_.get_executor()) {}

  void accept() {
    acceptor_.async_accept(asio::make_strand(io_), [this](error_code ec, tcp::socket socket) {
      if (closed_.load() || ec == asio::error::operation_aborted) return;
      if (ec) return accept_failed(ec);
      if (accept_delay_.count() > 0) log::info("accept_recovered", {{"listener", state_->name}});
      accept_delay_ = std::chrono::milliseconds(0);
      accepted(std::move(socket));
      accept();
    });
  }

  void accepted(tcp::socket socket) {
    error_code ec;
    const tcp::endpoint peer = socket.remote_endpoint(ec);
    if (ec) return;  // already gone
    std::string address = peer.address().to_string();
    if (const auto refusal = state_->admit(address)) {
      state_->count(*refusal);
      return refuse_busy(socket, state_->limits.retry_after);
    }
    socket.set_option(tcp::no_delay(true), ec);
    handler_(std::move(socket), ConnectionSlot(state_, std::move(address)));
  }

  void accept_failed(const error_code& ec) {
    // Out of descriptors (EMFILE/ENFILE), or the like: the pending connection waits in the
    // listen queue. Out of descriptors, it is answered 503 through the reserve descriptor (its
    // client backs off instead of hanging) and the next one is accepted at once; if the reserve
    // shows descriptors were freed since the failure, the connection is served instead.
    // Otherwise, or without a reserve, accepting is tried again once some may have been closed.
    state_->accept_errors.fetch_add(1, std::memory_order_relaxed);
    const bool first = accept_delay_.count() == 0;
    if (first) {
      log::warn("accept_failed", {{"listener", state_->name}, {"error", ec.message()}});
    }
    const bool no_descriptors = ec.value() == EMFILE || ec.value() == ENFILE;
    const ListenerLimits& limits = state_->limits;
    if (no_descriptors) {
      tcp::socket socket(asio::make_strand(io_));
      switch (accept_with_reserve(acceptor_, reserve_, limits.retry_after, socket)) {
        case ReserveAccept::kNone:
          break;
        case ReserveAccept::kRefused:
          state_->count(Refusal::kNoDescriptors);
          if (first) accept_delay_ = std::chrono::milliseconds(10);
          return accept();
        case ReserveAccept::kServe:  // the failure was stale: descriptors were freed since
          accept_delay_ = std::chrono::milliseconds(0);
          accepted(std::move(socket));
          return accept();
      }
    }
    accept_delay_ = first ? std::chrono::milliseconds(10)
                          : std::min(accept_delay_ * 2, limits.accept_retry_max);
    accept_retry_.expires_after(accept_delay_);
    accept_retry_.async_wait([this](error_code wait) {
      if (!wait && !closed_.load()) accept();
    });
  }

  void close() {
    if (closed_.exchange(true)) return;
    asio::post(acceptor_.get_executor(), [this] {
      error_code ignored;
      acceptor_.close(ignored);
      accept_retry_.cancel();
    });
  }

  asio::io_context& io_;
  std::shared_ptr<ListenerState> state_;
  ConnectionHandler handler_;
  ReserveDescriptor reserve_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::chrono::milliseconds accept_delay_{0};  // 0: the last accept succeeded
  std::atomic<bool> closed_{false};
};

Result<std::unique_ptr<Listener>> Listener::open(asio::io_context& io, std::string name,
                                                 const std::string& bind, int port,
                                                 ListenerLimits limits) {
  auto state = std::make_shared<ListenerState>();
  state->name = std::move(name);
  state->limits = limits;
  auto impl = std::make_unique<Impl>(io, state);
  if (auto ok = open_acceptor(impl->acceptor_, bind, port, state->name); !ok) return ok.error();
  const tcp::endpoint local = impl->acceptor_.local_endpoint();
  std::unique_ptr<Listener> listener(new Listener(std::move(impl)));
  listener->port_ = local.port();
  listener->loopback_ = local.address().is_loopback();
  return listener;
}

Listener::Listener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Listener::~Listener() {
  // The io_context runs no more (REQUIRES): nothing else touches the acceptor.
  impl_->closed_.store(true);
  error_code ignored;
  impl_->acceptor_.close(ignored);
}

void Listener::start(ConnectionHandler handler) {
  impl_->handler_ = std::move(handler);
  asio::post(impl_->acceptor_.get_executor(), [impl = impl_.get()] {
    if (!impl->closed_.load()) impl->accept();
  });
}

void Listener::close() { impl_->close(); }
const ListenerLimits& Listener::limits() const { return impl_->state_->limits; }
size_t Listener::open_connections() const { return impl_->state_->open.load(); }
uint64_t Listener::accept_errors() const { return impl_->state_->accept_errors.load(); }
uint64_t Listener::refused(Refusal reason) const {
  return impl_->state_->refused[static_cast<size_t>(reason)].load();
}

void Listener::register_metrics(metrics::Registry& registry) const {
  const std::shared_ptr<ListenerState> state = impl_->state_;
  const metrics::Labels labels{{"listener", state->name}};
  registry.counter_fn(
      "fmn_listener_accept_errors_total",
      "Failed accepts (out of descriptors...), retried with backoff.",
      [state] { return static_cast<double>(state->accept_errors.load()); }, labels);
  for (Refusal reason : kRefusals) {
    metrics::Labels with_reason = labels;
    with_reason.emplace_back("reason", std::string(refusal_name(reason)));
    registry.counter_fn(
        "fmn_listener_connections_refused_total",
        "Connections answered 503 with Retry-After and closed at once: too many open (per "
        "address, in all) or no descriptor left.",
        [state, reason] {
          return static_cast<double>(state->refused[static_cast<size_t>(reason)].load());
        },
        std::move(with_reason));
  }
  registry.gauge_fn(
      "fmn_listener_connections", "Open connections.",
      [state] { return static_cast<double>(state->open.load()); }, labels);
}

}  // namespace fmn::net
