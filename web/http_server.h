// The HTTP/1.1 server of the web app and of the admin endpoint: Boost.Beast/Asio, the stack the
// SSE server uses (sinks/sse_server.h), here for short request/response exchanges.
//
// `threads` I/O threads accept and parse requests; each complete request is handed to the
// Handler on one of them, and its response written back (keep-alive honoured). The Handler
// must therefore be thread-safe. Connections are let in by a net::Listener (net/listener.h:
// per-address and global limits answered 503 + Retry-After, descriptor exhaustion shed through
// a reserve descriptor). Bounded: request headers within `limits.header_timeout` and at most
// 8 KiB, bodies at most `max_body_bytes` (413 beyond), an idle kept-alive connection closed
// after `limits.idle_timeout`. Every response carries Cache-Control: no-store and the security
// headers (no framing, no sniffing, no referrer). stop() and the destructor join the threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "net/listener.h"
#include "web/http_message.h"

namespace fmn::web {

struct HttpServerConfig {
  std::string bind = "127.0.0.1";
  int port = 0;  // 0: any free port (see port())
  int threads = 2;
  size_t max_body_bytes = 64 * 1024;
  net::ListenerLimits limits;
  std::string name = "web";  // the listener's, in metrics and logs
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  // Binds and listens; kIo when the address cannot be bound (another process listening on the
  // port included), kInvalidConfig when it is not an address. Connections wait in the listen
  // queue until serve().
  static Result<std::unique_ptr<HttpServer>> open(HttpServerConfig config, HttpHandler handler);
  ~HttpServer();

  // Starts the threads: requests are answered from now on. REQUIRES: called once.
  void serve();
  int port() const;
  const net::Listener& listener() const;
  // True when the listening address is a loopback address (127.0.0.0/8, ::1).
  bool loopback() const;
  void stop();

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fmn::web
