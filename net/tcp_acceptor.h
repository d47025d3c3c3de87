// The listening socket of the Asio servers (listener.h): `acceptor` opened, bound to bind:port
// with address reuse, and listening. SO_REUSEADDR only (never SO_REUSEPORT): a restart can bind
// while old connections linger in TIME_WAIT, but a second process cannot listen on a port
// another one listens on. Errors name `who` ("sse", "web", "admin"): kInvalidConfig when `bind`
// is not an IP address, kIo when it cannot be bound.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fmn::net {

Result<bool> open_acceptor(boost::asio::ip::tcp::acceptor& acceptor, const std::string& bind,
                           int port, std::string_view who);

}  // namespace fmn::net
