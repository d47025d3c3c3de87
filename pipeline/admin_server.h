// The operator's HTTP endpoint: GET /metrics (Prometheus text), /healthz (the process is alive,
// no dependency checks), /readyz (every registered readiness check passes, else 503 with
// the failing ones named) and, with an outbox, /dead-letters[?user=NAME] (the notifications
// given up for good, newest first, one tab-separated line each). Bind it to loopback unless the
// network in front is trusted.
//
// cpp-httplib is enough here: few clients, short requests (long-lived SSE feeds are served
// elsewhere). listen() takes the port, serve() starts answering on the server's own threads; the
// port is exclusive (no SO_REUSEPORT): a second instance on a taken port fails in listen()
// instead of sharing it and splitting the scrapes between two processes.
// Bounded: a connection must send its request within `header_timeout`, and a kept-alive one
// idle for `idle_timeout` is closed; cpp-httplib serves at most a fixed pool of connections at
// once (the rest wait in the listen queue).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.h"
#include "core/result.h"

namespace httplib {
class Server;
}

namespace fmn::pipeline {

struct ReadinessCheck {
  std::string name;             // "postgresql", "redis", "bus"
  std::function<bool()> ready;  // cheap, non-blocking (reads cached state)
};

// Renders the dead letters of `user` (empty: everyone's) as text; an error when unreachable.
using DeadLetterListing = std::function<Result<std::string>(const std::string& user)>;

struct AdminLimits {
  std::chrono::milliseconds header_timeout{5000};
  std::chrono::milliseconds idle_timeout{5000};
};

class AdminServer {
 public:
  // `dead_letters` may be empty: no /dead-letters.
  AdminServer(const metrics::Registry& registry, std::vector<ReadinessCheck> checks,
              AdminLimits limits = {}, DeadLetterListing dead_letters = {});
  ~AdminServer();

  // Binds host:port (port 0 picks a free one; see port()); an error when the port is taken.
  Result<bool> listen(const std::string& host, int port);
  // REQUIRES: listen() succeeded. Returns once requests are answered, until stop().
  void serve();
  void stop();
  int port() const { return port_; }

 private:
  const metrics::Registry& registry_;
  std::vector<ReadinessCheck> checks_;
  AdminLimits limits_;
  DeadLetterListing dead_letters_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace fmn::pipeline
