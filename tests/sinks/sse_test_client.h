// A bare HTTP client on a socket and an SseServer accepting the test feed tokens
// (feed_token.h), for the SSE server's tests.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "sinks/sse_server.h"
#include "tests/sinks/feed_token.h"

namespace fmn::sinks::testing {

// A bare HTTP client on a socket: sends one request, reads what arrives.
class Client {
 public:
  // Connects, then sends `request` (nothing when empty).
  Client(int port, const std::string& request) : Client(port) {
    connect();
    send(request);
  }
  // Only makes the socket: connect() later.
  explicit Client(int port) : port_(port) { fd_ = ::socket(AF_INET, SOCK_STREAM, 0); }
  void connect() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
  }
  void send(const std::string& text) { (void)!::write(fd_, text.data(), text.size()); }
  ~Client() { ::close(fd_); }
  // Reads until `text` occurs `count` times in what was received, or 10 s pass.
  const std::string& read_until(std::string_view text, size_t count = 1) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (occurrences(text) < count && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      received_.append(buf, static_cast<size_t>(n));
    }
    return received_;
  }
  // Whether the server closed the connection (seen by read_until).
  bool closed() const { return closed_; }
  size_t occurrences(std::string_view text) const {
    size_t n = 0;
    for (size_t at = received_.find(text); at != std::string::npos;
         at = received_.find(text, at + 1)) {
      ++n;
    }
    return n;
  }

 private:
  int port_;
  int fd_;
  std::string received_;
  bool closed_ = false;
};

// Waits for `done`, checking every 10 ms for at most 10 s.
template <typename Condition>
bool wait_for(Condition done) {
  for (int i = 0; i < 1000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

inline std::string get(std::string_view target, std::string_view extra_headers = {}) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" +
         std::string(extra_headers) + "\r\n";
}

struct Server {
  explicit Server(SseServerConfig config = {}) {
    config.heartbeat = std::chrono::milliseconds(200);
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
