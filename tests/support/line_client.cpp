#include "tests/support/line_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "tests/support/loopback.h"

namespace fmn::test {
namespace {

using Clock = std::chrono::steady_clock;

Error io_error(std::string message) { return Error{ErrorCode::kIo, std::move(message)}; }

}  // namespace

Result<LineClient> LineClient::connect(int port, Duration timeout) {
  const auto deadline = Clock::now() + timeout;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (;;) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return io_error(std::string("socket: ") + strerror(errno));
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
      return LineClient(fd);
    }
    const int error = errno;
    ::close(fd);
    if (Clock::now() >= deadline) {
      return io_error("connect " + loopback_address(port) + ": " + strerror(error));
    }
    ::usleep(20'000);
  }
}

LineClient::LineClient(LineClient&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}

LineClient& LineClient::operator=(LineClient&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

LineClient::~LineClient() {
  if (fd_ >= 0) ::close(fd_);
}

Status LineClient::send_line(std::string_view line) {
  std::string wire(line);
  wire += "\r\n";
  size_t sent = 0;
  while (sent < wire.size()) {
    const ssize_t n = ::send(fd_, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(std::string("send: ") + strerror(errno));
    sent += static_cast<size_t>(n);
  }
  return ok_status();
}

Result<std::string> LineClient::read_line(Duration timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (const auto end = buffer_.find('\n'); end != std::string::npos) {
      std::string line = buffer_.substr(0, end > 0 && buffer_[end - 1] == '\r' ? end - 1 : end);
      buffer_.erase(0, end + 1);
      return line;
    }
    // Polled at least once, so a short or zero timeout still reads what has arrived.
    const auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max(left, Duration::zero()).count())) <= 0) {
      if (left <= Duration::zero()) return io_error("no complete line within the timeout");
      continue;
    }
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n == 0) return io_error("the server closed the connection");
    if (n < 0 && errno != EINTR) return io_error(std::string("recv: ") + strerror(errno));
    if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace fmn::test
