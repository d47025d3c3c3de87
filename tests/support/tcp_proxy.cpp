#include "tests/support/tcp_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "tests/support/loopback.h"

namespace fmn::test {
namespace {

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

struct Pair {
  int client, server;
};

}  // namespace

Result<std::unique_ptr<TcpProxy>> TcpProxy::start(int target_port) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) return Error{ErrorCode::kIo, std::string("socket: ") + strerror(errno)};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int wake[2];
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 16) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::pipe2(wake, O_CLOEXEC) != 0) {
    const int error = errno;
    ::close(listener);
    return Error{ErrorCode::kIo, std::string("tcp proxy: ") + strerror(error)};
  }
  return std::unique_ptr<TcpProxy>(
      new TcpProxy(listener, ntohs(addr.sin_port), target_port, wake[0], wake[1]));
}

TcpProxy::TcpProxy(int listener, int port, int target_port, int wake_read, int wake_write)
    : listener_(listener),
      port_(port),
      target_port_(target_port),
      wake_read_(wake_read),
      wake_write_(wake_write),
      thread_([this] { run(); }) {}

TcpProxy::~TcpProxy() {
  ::close(wake_write_);  // the thread sees the pipe's end and returns
  thread_.join();
  ::close(wake_read_);
  ::close(listener_);
}

void TcpProxy::run() {
  std::vector<Pair> pairs;
  std::array<char, 65536> buffer;
  for (;;) {
    std::vector<pollfd> fds{{wake_read_, POLLIN, 0}, {listener_, POLLIN, 0}};
    for (const Pair& p : pairs) {
      fds.push_back({p.client, POLLIN, 0});
      fds.push_back({p.server, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) break;
    std::vector<Pair> kept;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const Pair& p = pairs[i];
      bool open = true;
      if (fds[2 + 2 * i].revents != 0) {
        const ssize_t n = ::read(p.client, buffer.data(), buffer.size());
        open = n > 0 && write_all(p.server, buffer.data(), static_cast<size_t>(n));
      }
      if (open && fds[3 + 2 * i].revents != 0) {
        const ssize_t n = ::read(p.server, buffer.data(), buffer.size());
        if (n > 0 && drop_armed_.exchange(false)) {
          ++dropped_;
          open = false;
        } else {
          open = n > 0 && write_all(p.client, buffer.data(), static_cast<size_t>(n));
        }
      }
      if (open) {
        kept.push_back(p);
      } else {
        ::close(p.client);
        ::close(p.server);
      }
    }
    pairs = std::move(kept);
    if (fds[1].revents != 0) {
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      const int server = client < 0 ? -1 : connect_loopback(target_port_);
      if (server >= 0) {
        pairs.push_back({client, server});
      } else if (client >= 0) {
        ::close(client);
      }
    }
  }
  for (const Pair& p : pairs) {
    ::close(p.client);
    ::close(p.server);
  }
}

}  // namespace fmn::test
