// A bare HTTP client on a socket, for the tests of the service's HTTP servers (SSE, web app,
// admin): it sends exactly the bytes it is given (or none, or opens its socket before
// connecting, which a server out of descriptors still accepts), and reads what arrives. Header
// only; not thread-safe.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

namespace fmn::test {

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
  // Caps the socket's receive buffer (call before connect()): a client that does not read then
  // stalls the server's writes after a few kilobytes.
  void limit_receive_buffer(int bytes) {
    (void)::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
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

}  // namespace fmn::test
