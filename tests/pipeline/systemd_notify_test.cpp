#include "pipeline/systemd_notify.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace fmn::pipeline {
namespace {

// A datagram socket standing in for systemd's notification socket.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& name) : name_(name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), name.size());
    if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';
    if (name[0] == '/') ::unlink(name.c_str());
    auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    bound_ = ::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), size) == 0;
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    if (name_[0] == '/') ::unlink(name_.c_str());
  }
  bool bound() const { return bound_; }
  std::string receive() {
    char buf[256];
    ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

 private:
  std::string name_;
  int fd_ = -1;
  bool bound_ = false;
};

TEST(SystemdNotify, SendsTheStateToThePathInNotifySocket) {
  NotifySocket socket(::testing::TempDir() + "fmn-notify-" + std::to_string(::getpid()));
  ASSERT_TRUE(socket.bound());
  EXPECT_TRUE(systemd_notify("READY=1"));
  EXPECT_EQ(socket.receive(), "READY=1");
  EXPECT_TRUE(systemd_notify("STOPPING=1"));
  EXPECT_EQ(socket.receive(), "STOPPING=1");
}

TEST(SystemdNotify, ReachesAnAbstractSocket) {
  NotifySocket socket("@fmn-notify-test-" + std::to_string(::getpid()));
  ASSERT_TRUE(socket.bound());
  EXPECT_TRUE(systemd_notify("READY=1"));
  EXPECT_EQ(socket.receive(), "READY=1");
}

TEST(SystemdNotify, DoesNothingOutsideSystemd) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(systemd_notify("READY=1"));
  ::setenv("NOTIFY_SOCKET", "relative/path", 1);
  EXPECT_FALSE(systemd_notify("READY=1"));
  ::unsetenv("NOTIFY_SOCKET");
}

}  // namespace
}  // namespace fmn::pipeline
