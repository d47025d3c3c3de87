// Redis through hiredis against a private server from tests/support.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <string>

#include "tests/support/redis_server.h"

namespace fmn::test {
namespace {

using Connection = std::unique_ptr<redisContext, decltype(&redisFree)>;

Connection connect(const RedisServer& redis) {
  return {redisConnect(redis.host().c_str(), redis.port()), &redisFree};
}

// The reply as text ("OK", "PONG", a bulk string), "(nil)", or "error: ...".
std::string command(redisContext* c, const std::string& text) {
  auto* raw = static_cast<redisReply*>(redisCommand(c, text.c_str()));
  if (raw == nullptr) return "error: " + std::string(c->errstr);
  std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(raw, &freeReplyObject);
  switch (reply->type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_STRING:
      return std::string(reply->str, reply->len);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_ERROR:
      return "error: " + std::string(reply->str, reply->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(reply->integer);
    default:
      return "reply type " + std::to_string(reply->type);
  }
}

TEST(RedisSmoke, SetGetAndRestart) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  {
    Connection c = connect(*redis);
    ASSERT_TRUE(c && !c->err) << (c ? c->errstr : "out of memory");
    EXPECT_EQ(command(c.get(), "SET digest:alice 3"), "OK");
    EXPECT_EQ(command(c.get(), "GET digest:alice"), "3");
  }
  auto restarted = redis->restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;

  Connection c = connect(*redis);
  ASSERT_TRUE(c && !c->err) << (c ? c->errstr : "out of memory");
  EXPECT_EQ(command(c.get(), "PING"), "PONG");
  // No snapshot and no append-only file: a restart starts empty.
  EXPECT_EQ(command(c.get(), "GET digest:alice"), "(nil)");
  EXPECT_EQ(command(c.get(), "SET digest:bob 1"), "OK");
  announce_real_server("Redis at " + redis->url() + ": SET/GET before and after a restart");
}

TEST(RedisSmoke, AppendOnlyFileKeepsDataAcrossAKill) {
  auto redis = RedisServer::start({.appendonly = true});
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  {
    Connection c = connect(*redis);
    ASSERT_TRUE(c && !c->err) << (c ? c->errstr : "out of memory");
    EXPECT_EQ(command(c.get(), "RPUSH pending:alice m1 m2"), "2");
  }
  redis->kill();
  auto restarted = redis->restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error().message;

  Connection c = connect(*redis);
  ASSERT_TRUE(c && !c->err) << (c ? c->errstr : "out of memory");
  EXPECT_EQ(command(c.get(), "LLEN pending:alice"), "2");
  announce_real_server("Redis at " + redis->url() + ": list kept across kill -9 (appendonly)");
}

}  // namespace
}  // namespace fmn::test
