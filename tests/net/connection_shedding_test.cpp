// Accepting through the reserve descriptor: a connection is turned away with 503 only while
// the process really is out of descriptors; once some are free again, it is served.
#include "net/connection_shedding.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include "tests/support/no_free_descriptors.h"
#include "tests/support/raw_http_client.h"

namespace fmn::net {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Acceptor {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::address_v4::loopback(), 0)};
  int port() const { return acceptor.local_endpoint().port(); }
};

TEST(AcceptWithReserve, ServesTheConnectionWhenDescriptorsAreFreeAgain) {
  Acceptor server;
  ReserveDescriptor reserve;
  ASSERT_TRUE(reserve.held());
  test::Client client(server.port(), test::get("/"));
  tcp::socket socket(server.io);
  EXPECT_EQ(accept_with_reserve(server.acceptor, reserve, 5s, socket), ReserveAccept::kServe);
  EXPECT_TRUE(socket.is_open());
  EXPECT_TRUE(reserve.held());
  // Nothing was answered: the connection is the caller's to serve.
  asio::write(socket, asio::buffer(std::string("served")));
  EXPECT_EQ(client.read_until("served"), "served");
}

TEST(AcceptWithReserve, RefusesWithRetryAfterWhileDescriptorsAreOut) {
  if (test::kSanitizerNeedsDescriptors) GTEST_SKIP() << "the sanitizer runtime needs descriptors";
  Acceptor server;
  ReserveDescriptor reserve;
  ASSERT_TRUE(reserve.held());
  test::Client client(server.port());
  tcp::socket socket(server.io);
  ReserveAccept outcome;
  {
    test::NoFreeDescriptors exhausted;
    ASSERT_TRUE(exhausted.ok());
    client.connect();
    client.send(test::get("/"));
    outcome = accept_with_reserve(server.acceptor, reserve, 7s, socket);
    EXPECT_TRUE(reserve.held());
  }
  EXPECT_EQ(outcome, ReserveAccept::kRefused);
  EXPECT_FALSE(socket.is_open());
  const std::string& got = client.read_until("retry later");
  EXPECT_NE(got.find("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\n"), std::string::npos)
      << got;
}

TEST(AcceptWithReserve, NoneWaitingIsNoneAndKeepsTheReserve) {
  Acceptor server;
  ReserveDescriptor reserve;
  tcp::socket socket(server.io);
  EXPECT_EQ(accept_with_reserve(server.acceptor, reserve, 5s, socket), ReserveAccept::kNone);
  EXPECT_TRUE(reserve.held());
  EXPECT_FALSE(socket.is_open());
}

}  // namespace
}  // namespace fmn::net
