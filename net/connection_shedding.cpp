#include "net/connection_shedding.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <string>

namespace fmn::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

void refuse_busy(tcp::socket& socket, std::chrono::seconds retry_after) {
  static constexpr std::string_view kBody = "too many connections, retry later\n";
  const std::string response =
      "HTTP/1.1 503 Service Unavailable\r\nRetry-After: " + std::to_string(retry_after.count()) +
      "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(kBody.size()) +
      "\r\nConnection: close\r\n\r\n" + std::string(kBody);
  error_code ec;
  socket.non_blocking(true, ec);
  if (!ec) asio::write(socket, asio::buffer(response), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  // What the client already sent is read, so the close sends a FIN, not a reset that could
  // discard the response before the client reads it.
  char discard[1024];
  for (size_t i = 0; i < 16; ++i) {
    socket.read_some(asio::buffer(discard), ec);
    if (ec) break;
  }
  socket.close(ec);
}

ReserveDescriptor::ReserveDescriptor() { retake(); }

ReserveDescriptor::~ReserveDescriptor() { release(); }

bool ReserveDescriptor::release() {
  if (fd_ < 0) return false;
  ::close(fd_);
  fd_ = -1;
  return true;
}

bool ReserveDescriptor::retake() {
  if (fd_ < 0) fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  return held();
}

ReserveAccept accept_with_reserve(tcp::acceptor& acceptor, ReserveDescriptor& reserve,
                                  std::chrono::seconds retry_after, tcp::socket& socket) {
  if (!reserve.release()) return ReserveAccept::kNone;
  error_code ec;
  acceptor.non_blocking(true, ec);  // none waiting: would_block rather than a stalled thread
  if (!ec) acceptor.accept(socket, ec);
  if (ec) {
    reserve.retake();
    return ReserveAccept::kNone;
  }
  if (reserve.retake()) return ReserveAccept::kServe;
  refuse_busy(socket, retry_after);
  reserve.retake();
  return ReserveAccept::kRefused;
}

}  // namespace fmn::net
