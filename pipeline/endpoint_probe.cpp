#include "pipeline/endpoint_probe.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "pipeline/service_config.h"

namespace fmn::pipeline {
namespace {

// Non-blocking connect to one address, waiting up to `timeout` for it to complete.
bool connects(const addrinfo& a, std::chrono::milliseconds timeout) {
  int fd = ::socket(a.ai_family, a.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a.ai_protocol);
  if (fd < 0) return false;
  bool ok = ::connect(fd, a.ai_addr, a.ai_addrlen) == 0;
  if (!ok && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    int error = 0;
    socklen_t len = sizeof error;
    ok = ::poll(&p, 1, static_cast<int>(timeout.count())) == 1 &&
         ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0;
  }
  ::close(fd);
  return ok;
}

}  // namespace

bool tcp_reachable(const std::string& host, int port, std::chrono::milliseconds timeout) {
  std::string name = host;
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);  // [::1]
  }
  if (name == "*" || name.empty()) name = "127.0.0.1";
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(name.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (connects(*a, timeout)) return true;
  }
  return false;
}

bool zmq_endpoint_reachable(std::string_view endpoint, std::chrono::milliseconds timeout) {
  constexpr std::string_view kTcp = "tcp://";
  if (endpoint.substr(0, kTcp.size()) != kTcp) return false;
  std::string host;
  int port = 0;
  if (!split_host_port(endpoint.substr(kTcp.size()), host, port)) return false;
  return tcp_reachable(host, port, timeout);
}

}  // namespace fmn::pipeline
