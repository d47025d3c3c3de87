// Several web instances sharing one Redis share one budget of confirmation requests and test
// notifications: what one instance spent, the next sees. Keys stay small whatever the address
// and expire; a Redis outage refuses (fails closed) and is counted, and the limits work again
// once Redis is back.
#include <gtest/gtest.h>

#include "sinks/redis_connection.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_server.h"
#include "tests/web/redis_config.h"
#include "web/confirmation_limits.h"
#include "web/redis_rate_buckets.h"

namespace fmn::web {
namespace {

// One web instance's buckets: its own connection to the shared Redis.
std::shared_ptr<RedisRateBuckets> instance(const test::RedisServer& redis) {
  return std::make_shared<RedisRateBuckets>(
      std::make_shared<sinks::SharedRedisConnection>(redis_config(redis)));
}

TEST(WebSharedLimits, ASecondInstanceSeesWhatTheFirstSpent) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  ConfirmationLimits first({}, instance(*redis)), second({}, instance(*redis));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(first.try_take("ralph", "victim@x.org"), Take::kTaken);
  // The stranger's address burst (3) is spent, whichever instance and account asks next.
  EXPECT_EQ(second.try_take("lmacken", "victim@x.org"), Take::kRefused);
  // ralph's own burst (5) is shared too: two more, through the second instance, then no more.
  EXPECT_EQ(second.try_take("ralph", "one@x.org"), Take::kTaken);
  EXPECT_EQ(second.try_take("ralph", "two@x.org"), Take::kTaken);
  EXPECT_EQ(second.try_take("ralph", "three@x.org"), Take::kRefused);
  EXPECT_EQ(first.try_take("ralph", "three@x.org"), Take::kRefused);
  EXPECT_EQ(first.try_take("lmacken", "three@x.org"), Take::kTaken);  // refusals spent nothing

  TestNotificationLimits tests_first({}, instance(*redis)), tests_second({}, instance(*redis));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(tests_first.try_take("ralph"), Take::kTaken);
  EXPECT_EQ(tests_second.try_take("ralph"), Take::kRefused);
  EXPECT_EQ(tests_second.try_take("kevin"), Take::kTaken);
}

TEST(WebSharedLimits, BucketsRefillAtTheirRate) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  test::FakeClock clock;
  ConfirmationLimits limits(
      {}, std::make_shared<RedisRateBuckets>(
              std::make_shared<sinks::SharedRedisConnection>(redis_config(*redis)), clock));
  for (const char* user : {"a", "b", "c"}) {
    EXPECT_EQ(limits.try_take(user, "victim@x.org"), Take::kTaken);
  }
  EXPECT_EQ(limits.try_take("d", "victim@x.org"), Take::kRefused);
  clock.advance(std::chrono::hours(5));  // 5 a day: one more after 4.8 hours
  EXPECT_EQ(limits.try_take("d", "victim@x.org"), Take::kTaken);
  EXPECT_EQ(limits.try_take("e", "victim@x.org"), Take::kRefused);
}

TEST(WebSharedLimits, KeysAreBoundedAndExpire) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  ConfirmationLimits limits({}, instance(*redis));
  const std::string long_address = std::string(5000, 'a') + "@example.org";
  EXPECT_EQ(limits.try_take("ralph", long_address), Take::kTaken);
  auto c = sinks::RedisConnection::open(redis_config(*redis));
  ASSERT_TRUE(c.ok());
  auto keys = (*c)->command({"KEYS", "*"});
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->elements.size(), 2u);
  for (const std::string& key : keys->elements) {
    EXPECT_LE(key.size(), 300u) << key.substr(0, 100);
    auto ttl = (*c)->command({"PTTL", key});
    ASSERT_TRUE(ttl.ok());
    EXPECT_GT(ttl->integer, 0) << key.substr(0, 100);  // gone once the bucket would be full
  }
}

TEST(WebSharedLimits, ARedisOutageRefusesAndIsCounted) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto buckets = instance(*redis);
  ConfirmationLimits limits({}, buckets);
  EXPECT_EQ(limits.try_take("ralph", "r@x.org"), Take::kTaken);
  ASSERT_TRUE(redis->stop().ok());
  EXPECT_EQ(limits.try_take("ralph", "r@x.org"), Take::kUnavailable);
  EXPECT_EQ(buckets->unavailable_total(), 1u);
  ASSERT_TRUE(redis->restart().ok());
  EXPECT_EQ(limits.try_take("ralph", "r@x.org"), Take::kTaken);
}

}  // namespace
}  // namespace fmn::web
