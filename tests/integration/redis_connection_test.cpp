// RedisConnection against a real Redis: commands whose arguments are long (sent from the caller's
// memory) and short (copied into the command buffer) reach Redis whole and in their order, even
// when a transaction is larger than the socket takes in one write.
#include "sinks/redis_connection.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/redis_server.h"

namespace fmn::sinks {
namespace {

// `size` bytes that differ from one place to the next, so a piece sent twice, dropped or out of
// place shows.
std::string patterned(size_t size, char salt) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>('a' + (i * 7 + salt) % 26);
  return out;
}

TEST(RedisConnection, LongAndShortArgumentsArriveWholeAndInOrder) {
  auto server = test::RedisServer::start();
  ASSERT_TRUE(server.ok()) << server.error().message;
  auto redis = RedisConnection::open({.host = server->host(), .port = server->port()});
  ASSERT_TRUE(redis.ok()) << redis.error().message;

  const std::string large = patterned(24 << 20, 1);  // far beyond the socket's buffers
  const std::string medium = patterned(4096, 2);
  const std::string at_the_limit = patterned(512, 3);
  const std::string just_below = patterned(511, 4);
  auto written = (*redis)->transaction({{"SET", "large", large},
                                        {"SET", "short", "s"},
                                        {"SET", "medium", medium},
                                        {"SET", "at_the_limit", at_the_limit},
                                        {"SET", "just_below", just_below},
                                        {"APPEND", "medium", large}});
  ASSERT_TRUE(written.ok()) << written.error().message;

  auto read = (*redis)->command({"MGET", "large", "short", "medium", "at_the_limit", "just_below"});
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->elements.size(), 5u);
  EXPECT_TRUE(read->elements[0] == large) << "the large value came back altered";
  EXPECT_EQ(read->elements[1], "s");
  EXPECT_TRUE(read->elements[2] == medium + large) << "the appended value came back altered";
  EXPECT_EQ(read->elements[3], at_the_limit);
  EXPECT_EQ(read->elements[4], just_below);

  // The connection is still in step: the next command gets its own reply.
  auto length = (*redis)->command({"STRLEN", "medium"});
  ASSERT_TRUE(length.ok()) << length.error().message;
  EXPECT_EQ(length->integer, static_cast<long long>(medium.size() + large.size()));
}

}  // namespace
}  // namespace fmn::sinks
