#include "tests/support/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <unordered_set>

namespace fmn::test {
namespace {

sockaddr_in loopback_address_of(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// A port the kernel hands out for 127.0.0.1 and that is free again once the socket closes.
Result<int> kernel_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{ErrorCode::kIo, std::string("socket: ") + strerror(errno)};
  sockaddr_in addr = loopback_address_of(0);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int error = errno;
    ::close(fd);
    return Error{ErrorCode::kIo, std::string("picking a free port: ") + strerror(error)};
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

}  // namespace

Result<int> pick_free_port() {
  // The kernel may hand the port it just released out again: a test starting several servers
  // (RabbitMQ's AMQP, epmd and distribution ports) would give two of them the same one.
  static std::mutex mutex;
  static std::unordered_set<int> handed_out;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto port = kernel_free_port();
    if (!port) return port.error();
    std::lock_guard lock(mutex);
    if (handed_out.insert(*port).second) return *port;
  }
  return Error{ErrorCode::kIo, "picking a free port: every port offered was handed out already"};
}

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const sockaddr_in addr = loopback_address_of(port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool port_accepts(int port) {
  const int fd = connect_loopback(port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace fmn::test
