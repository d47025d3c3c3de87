#include "sinks/irc_transport.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fmn::sinks {
namespace {

constexpr size_t kMaxBuffered = 64 * 1024;  // a server line is 512 bytes; more is garbage

Error io_error(const std::string& what) {
  return Error{ErrorCode::kIo, "irc: " + what + ": " + std::strerror(errno)};
}

}  // namespace

Result<bool> TcpIrcTransport::connect() {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(port_);
  if (const int rc = getaddrinfo(host_.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Error{ErrorCode::kIo, "irc: " + host_ + ": " + gai_strerror(rc)};
  }
  Error last{ErrorCode::kIo, "irc: " + host_ + ":" + port + ": no address"};
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      fd_ = fd;
      break;
    }
    last = io_error("connect " + host_ + ":" + port);
    ::close(fd);
  }
  freeaddrinfo(found);
  if (fd_ < 0) return last;
  return true;
}

Result<bool> IrcTransport::send_lines(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    auto ok = send_line(line);
    if (!ok) return ok;
  }
  return true;
}

Result<bool> TcpIrcTransport::send_line(std::string_view line) {
  return send_lines({std::string(line)});
}

Result<bool> TcpIrcTransport::send_lines(const std::vector<std::string>& lines) {
  if (fd_ < 0) return Error{ErrorCode::kIo, "irc: not connected"};
  std::string data;
  for (const std::string& line : lines) {
    data += line;
    data += "\r\n";
  }
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("send");
    sent += static_cast<size_t>(n);
  }
  return true;
}

Result<bool> TcpIrcTransport::read_lines(std::chrono::milliseconds timeout,
                                         std::vector<std::string>& out) {
  if (fd_ < 0) return Error{ErrorCode::kIo, "irc: not connected"};
  pollfd p{fd_, POLLIN, 0};
  int wait = static_cast<int>(timeout.count());
  // The lines received before the connection ended are returned too: the server's last words
  // (a PONG confirming our last lines, for one) count.
  Result<bool> status = true;
  while (::poll(&p, 1, wait) > 0) {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = io_error("recv");
      break;
    }
    if (n == 0) {
      status = Error{ErrorCode::kIo, "irc: the server closed the connection"};
      break;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    if (buffer_.size() > kMaxBuffered) buffer_.clear();
    wait = 0;  // take what else is there, without waiting again
  }
  size_t start = 0;
  for (size_t end; (end = buffer_.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = buffer_.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
  }
  buffer_.erase(0, start);
  return status;
}

void TcpIrcTransport::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

}  // namespace fmn::sinks
