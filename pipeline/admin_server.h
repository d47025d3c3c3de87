// The operator's HTTP endpoint: GET /metrics (Prometheus text), /healthz (the process is alive,
// no dependency checks), /readyz (every registered readiness check passes, else 503 with
// the failing ones named) and, with an outbox, /dead-letters[?user=NAME] (the notifications
// given up for good, newest first, one tab-separated line each) and POST
// /dead-letters/replay[?user=NAME][&limit=N] (delivers them again, at most N per kind, 1,000 by
// default). Bind it to loopback unless the network in front is trusted: nothing is
// authenticated. A request with an Origin header (a browser's, whatever page sent it) may not
// replay, so a web page cannot make a browser on the operator's host do it.
//
// Served by the web app's HTTP server (web/http_server.h, Boost.Beast) on one thread, behind
// the same listener as every server of the service (net/listener.h): per-address and global
// connection limits answered 503 + Retry-After, header and idle timeouts, and an acceptor that
// keeps going when descriptors run out. listen() takes the port, serve() starts answering; the
// port is exclusive (no SO_REUSEPORT): a second instance on a taken port fails in listen()
// instead of sharing it and splitting the scrapes between two processes. Its listener's
// counters are registered in `registry` as listener="admin".
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "core/result.h"
#include "net/listener.h"
#include "web/http_server.h"

namespace fmn::pipeline {

struct ReadinessCheck {
  std::string name;             // "postgresql", "redis", "bus"
  std::function<bool()> ready;  // cheap, non-blocking (reads cached state)
};

// What the admin server can do with dead letters, each answering text or an error when Redis is
// unreachable: list `user`'s (empty: everyone's), or replay up to `limit` of them per kind.
struct DeadLetterActions {
  std::function<Result<std::string>(const std::string& user)> list;
  std::function<Result<std::string>(const std::string& user, size_t limit)> replay;
};

class AdminServer {
 public:
  // `registry` outlives the server. The service takes `limits` from its [admin] section.
  // `dead_letters` may be empty: no /dead-letters.
  AdminServer(metrics::Registry& registry, std::vector<ReadinessCheck> checks,
              net::ListenerLimits limits = {}, DeadLetterActions dead_letters = {});
  ~AdminServer();

  // Binds host:port (port 0 picks a free one; see port()); an error when the port is taken.
  Result<bool> listen(const std::string& host, int port);
  // REQUIRES: listen() succeeded. Returns once requests are answered, until stop().
  void serve();
  void stop();
  int port() const { return server_ ? server_->port() : 0; }
  // REQUIRES: listen() succeeded.
  const net::Listener& listener() const { return server_->listener(); }

 private:
  web::HttpResponse handle(const web::HttpRequest& request) const;

  metrics::Registry& registry_;
  std::vector<ReadinessCheck> checks_;
  net::ListenerLimits limits_;
  DeadLetterActions dead_letters_;
  std::unique_ptr<web::HttpServer> server_;
};

}  // namespace fmn::pipeline
