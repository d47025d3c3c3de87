// The web app's HTTP/1.1 server: Boost.Beast/Asio, the stack the SSE server uses
// (sinks/sse_server.h), here for short request/response exchanges.
//
// `threads` I/O threads accept and parse requests; each complete request is handed to the
// Handler on one of them, and its response written back (keep-alive honoured). The Handler
// must therefore be thread-safe. Bounded: request headers within `header_timeout` and at most
// 8 KiB, bodies at most `max_body_bytes` (413 beyond), an idle kept-alive connection closed
// after `idle_timeout`. Every response carries Cache-Control: no-store and the security headers
// (no framing, no sniffing, no referrer). stop() and the destructor join the threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "web/http_message.h"

namespace fmn::web {

struct HttpServerConfig {
  std::string bind = "127.0.0.1";
  int port = 0;  // 0: any free port (see port())
  int threads = 2;
  size_t max_body_bytes = 64 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  // Binds, listens and starts the threads; kIo when the address cannot be bound,
  // kInvalidConfig when it is not an address.
  static Result<std::unique_ptr<HttpServer>> start(HttpServerConfig config, HttpHandler handler);
  ~HttpServer();

  int port() const;
  // True when the listening address is a loopback address (127.0.0.0/8, ::1).
  bool loopback() const;
  void stop();

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fmn::web
