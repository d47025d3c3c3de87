// The accepting half of every HTTP server of the service (the SSE server, the web app, the admin
// endpoint): one listening socket and its hygiene, so each server gets the same bounds.
//
// Bounded connections: at most `max_connections` open in all and `max_connections_per_ip` per
// client address; a connection beyond either is answered "503 Service Unavailable" with
// `Retry-After` and closed at once, counted per reason. A failed accept (EMFILE/ENFILE: out of
// descriptors) is counted, logged once per streak and retried with backoff up to
// `accept_retry_max`; while descriptors lack, the waiting connections are answered 503 one by
// one through a reserve descriptor (connection_shedding.h) instead of being left hanging, and
// accepting resumes once descriptors are free: the acceptor never stops for good.
// The timeouts are the servers' to apply (they own the connections): a connection that has not
// sent its request headers within `header_timeout`, or that makes no progress for
// `idle_timeout`, is closed.
//
// Each accepted connection is handed over with a ConnectionSlot, which counts it open until
// destroyed. Accepting runs on a strand of the io_context; each connection's socket gets its own
// strand. The counters, close() and ConnectionSlot are thread-safe.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/metrics.h"
#include "core/result.h"

namespace fmn::net {

struct ListenerLimits {
  size_t max_connections = 16384;  // open connections in all
  size_t max_connections_per_ip = 64;
  std::chrono::seconds retry_after{5};  // told to a client turned away (503)
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds accept_retry_max{1000};
};

// Why a connection was turned away (503).
enum class Refusal { kPerAddress, kTotal, kNoDescriptors };
inline constexpr Refusal kRefusals[] = {Refusal::kPerAddress, Refusal::kTotal,
                                        Refusal::kNoDescriptors};
// "per_address", "total", "no_descriptors": the metric label.
std::string_view refusal_name(Refusal reason);

struct ListenerState;

// One open connection, counted against its listener and client address until destroyed.
class ConnectionSlot {
 public:
  ConnectionSlot(std::shared_ptr<ListenerState> state, std::string address);
  ConnectionSlot(ConnectionSlot&&) = default;
  ConnectionSlot& operator=(ConnectionSlot&&) = default;
  ~ConnectionSlot();

 private:
  std::shared_ptr<ListenerState> state_;  // null once moved from
  std::string address_;
};

// Called on the new socket's strand with each connection that was let in.
using ConnectionHandler =
    std::function<void(boost::asio::ip::tcp::socket socket, ConnectionSlot slot)>;

class Listener {
 public:
  // Binds and listens on bind:port (port 0: any free one). `name` ("sse", "web", "admin")
  // labels the metrics and logs. kInvalidConfig when `bind` is not an address, kIo when it
  // cannot be bound (a port another process listens on included). `io` outlives the listener.
  static Result<std::unique_ptr<Listener>> open(boost::asio::io_context& io, std::string name,
                                                const std::string& bind, int port,
                                                ListenerLimits limits);
  // REQUIRES: the io_context's threads have stopped (its pending handlers refer to it).
  ~Listener();

  // Starts accepting, handing every connection let in to `handler`. REQUIRES: called once.
  void start(ConnectionHandler handler);
  // Stops accepting: the port is released once the io_context runs the close (or at the
  // latest when the listener is destroyed). Idempotent.
  void close();

  int port() const { return port_; }
  bool loopback() const { return loopback_; }
  const ListenerLimits& limits() const;
  // Connections let in and not yet closed.
  size_t open_connections() const;
  // Failed accepts (retried), and connections turned away (503) for `reason`.
  uint64_t accept_errors() const;
  uint64_t refused(Refusal reason) const;
  // fmn_listener_accept_errors_total{listener}, fmn_listener_connections_refused_total{listener,
  // reason} and the gauge fmn_listener_connections{listener}. The series stay valid after the
  // listener is gone.
  void register_metrics(metrics::Registry& registry) const;

  class Impl;

 private:
  explicit Listener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  bool loopback_ = false;
};

}  // namespace fmn::net
