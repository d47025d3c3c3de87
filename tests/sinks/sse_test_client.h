// An SseServer accepting the test feed tokens (feed_token.h), for the SSE server's tests, and
// the bare HTTP client they talk to it with (raw_http_client.h).
#pragma once

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "sinks/sse_server.h"
#include "tests/sinks/feed_token.h"
#include "tests/support/raw_http_client.h"

namespace fmn::sinks::testing {

using test::Client;
using test::get;
using test::wait_for;

struct Server {
  explicit Server(SseServerConfig config = {},
                  std::chrono::milliseconds heartbeat = std::chrono::milliseconds(200)) {
    config.heartbeat = heartbeat;
    auto s = SseServer::start(config, test_feed_auth);
    if (!s) std::abort();
    server = std::move(s.value());
  }
  std::string feed_url(const std::string& feed) {
    return "/feeds/" + feed + "?token=" + test_feed_token(feed);
  }
  void wait_for_clients(size_t n) {
    for (int i = 0; i < 500 && server->clients() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::unique_ptr<SseServer> server;
};

}  // namespace fmn::sinks::testing
