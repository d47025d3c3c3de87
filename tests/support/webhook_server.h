// WebhookServer: a real HTTP server (Python's http.server, tests/support/webhook_receiver.py)
// on 127.0.0.1:<free port> that records every POST and checks its signature itself, for tests
// to read back with requests().
//
// set_mode() switches it, while it runs, between accepting (200, echoing a confirmation's
// challenge), failing (500) and answering confirmations without the challenge. The destructor
// kills the server and removes its directory. Move-only; not thread-safe.
//
//   auto hooks = WebhookServer::start("a-secret-of-16+chars");
//   ASSERT_TRUE(hooks.ok()) << hooks.error().message;
//   post to hooks->url("/fmn")
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

struct WebhookRequest {
  std::string path, event, timestamp, signature, body;
  bool signature_valid = false;  // checked by the server with Python's hmac
  int status = 0;                // what the server answered
};

enum class WebhookMode { kAccept, kFail, kNoEcho };

class WebhookServer {
 public:
  // `secret`: the one the server checks signatures with.
  static Result<WebhookServer> start(const std::string& secret);

  int port() const { return port_; }
  std::string url(std::string_view path) const {
    return "http://" + loopback_address(port_) + std::string(path);
  }

  // Takes effect from the next request.
  Status set_mode(WebhookMode mode);
  // Every request so far, oldest first.
  Result<std::vector<WebhookRequest>> requests() const;
  // Waits (bounded) until at least `count` requests came, then returns them all.
  Result<std::vector<WebhookRequest>> wait_for_requests(size_t count, Duration timeout) const;

 private:
  WebhookServer(TempDir dir, ServerProcess process, int port)
      : dir_(std::move(dir)), process_(std::move(process)), port_(port) {}

  TempDir dir_;  // declared first: outlives the server using it
  ServerProcess process_;
  int port_;
};

}  // namespace fmn::test
