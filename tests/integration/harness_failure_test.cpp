// A server that cannot start makes the test fail with the server's own words.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {
namespace {

using ::testing::HasSubstr;

TEST(HarnessFailure, BusyPortFailsWithTheServersOutput) {
  // A bound socket that does not listen: the port is taken, yet nothing answers on it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);

  auto redis = RedisServer::start({.port = ntohs(addr.sin_port)});
  ::close(fd);
  ASSERT_FALSE(redis.ok());
  EXPECT_THAT(redis.error().message, HasSubstr("exited with status 1 before it was ready"));
  EXPECT_THAT(redis.error().message, HasSubstr("Address already in use"));  // redis's own log
}

TEST(HarnessFailure, MissingProgramIsNamed) {
  auto dir = TempDir::create("harness");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  auto run = ChildProcess::run({.argv = {"fmn-no-such-program"}, .log = dir.value() / "log"},
                               std::chrono::seconds(5));
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.error().message, HasSubstr("cannot execute fmn-no-such-program"));
}

TEST(HarnessFailure, FailingCommandQuotesItsOutput) {
  auto dir = TempDir::create("harness");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  auto run =
      ChildProcess::run({.argv = {"/bin/sh", "-c", "echo 'FATAL: out of cheese' >&2; exit 3"},
                         .log = dir.value() / "log"},
                        std::chrono::seconds(5));
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.error().message, HasSubstr("exited with status 3"));
  EXPECT_THAT(run.error().message, HasSubstr("FATAL: out of cheese"));
}

TEST(HarnessFailure, TempDirIsRemoved) {
  std::filesystem::path path;
  {
    auto dir = TempDir::create("harness");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    path = dir->path();
    std::ofstream(*dir / "file") << "x";
    ASSERT_TRUE(std::filesystem::exists(path / "file"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace fmn::test
