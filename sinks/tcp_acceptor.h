// The listening socket of the Asio servers (the SSE server, the web app): `acceptor` opened,
// bound to bind:port with address reuse, and listening. Errors name `who` ("sse", "web"):
// kInvalidConfig when `bind` is not an IP address, kIo when it cannot be bound.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fmn::sinks {

Result<bool> open_acceptor(boost::asio::ip::tcp::acceptor& acceptor, const std::string& bind,
                           int port, std::string_view who);

}  // namespace fmn::sinks
