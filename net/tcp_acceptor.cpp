#include "net/tcp_acceptor.h"

#include <boost/asio.hpp>

namespace fmn::net {

Result<bool> open_acceptor(boost::asio::ip::tcp::acceptor& acceptor, const std::string& bind,
                           int port, std::string_view who) {
  namespace asio = boost::asio;
  using tcp = asio::ip::tcp;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(bind, ec);
  if (ec) {
    return Error{ErrorCode::kInvalidConfig, std::string(who) + ": bad bind address '" + bind + "'"};
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorCode::kIo, std::string(who) + ": cannot listen on " + bind + ":" +
                                     std::to_string(port) + ": " + ec.message()};
  }
  return true;
}

}  // namespace fmn::net
