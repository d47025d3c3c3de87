#include "pipeline/endpoint_probe.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace fmn::pipeline {
namespace {

using std::chrono::milliseconds;

// A TCP socket bound to a free loopback port; listening or not.
class LoopbackPort {
 public:
  explicit LoopbackPort(bool listen) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (listen) ::listen(fd_, 4);
  }
  ~LoopbackPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(EndpointProbe, AListeningPortIsReachable) {
  LoopbackPort server(true);
  EXPECT_TRUE(tcp_reachable("127.0.0.1", server.port(), milliseconds(500)));
  EXPECT_TRUE(tcp_reachable("localhost", server.port(), milliseconds(500)));
  EXPECT_TRUE(zmq_endpoint_reachable("tcp://127.0.0.1:" + std::to_string(server.port()),
                                     milliseconds(500)));
}

TEST(EndpointProbe, APortNobodyListensOnIsNot) {
  LoopbackPort bound_only(false);  // held, so no one else takes it during the test
  EXPECT_FALSE(tcp_reachable("127.0.0.1", bound_only.port(), milliseconds(500)));
  EXPECT_FALSE(zmq_endpoint_reachable("tcp://127.0.0.1:" + std::to_string(bound_only.port()),
                                      milliseconds(500)));
}

TEST(EndpointProbe, OtherTransportsAndMalformedEndpointsAreNotReachable) {
  LoopbackPort server(true);
  EXPECT_FALSE(zmq_endpoint_reachable("ipc:///tmp/fmn-bus", milliseconds(100)));
  EXPECT_FALSE(zmq_endpoint_reachable("tcp://127.0.0.1", milliseconds(100)));
  EXPECT_FALSE(
      zmq_endpoint_reachable("127.0.0.1:" + std::to_string(server.port()), milliseconds(100)));
  EXPECT_FALSE(tcp_reachable("no-such-host.invalid", server.port(), milliseconds(100)));
}

}  // namespace
}  // namespace fmn::pipeline
