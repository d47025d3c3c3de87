// The delivery history in a real Redis: each user's list is capped, newest first, paged,
// expires, and is shared by every connection (the pipeline writes, web fronts read).
#include <gtest/gtest.h>

#include <hiredis/hiredis.h>

#include "sinks/redis_delivery_history.h"
#include "tests/sinks/delivery_record_fixture.h"
#include "tests/support/loopback.h"
#include "tests/support/redis_config.h"
#include "tests/support/redis_server.h"

namespace fmn::sinks {
namespace {

DeliveryRecord record(const std::string& user, int i) {
  DeliveryRecord r = testing::numbered_record(user, i);
  r.status = i % 2 == 0 ? DeliveryStatus::kSent : DeliveryStatus::kPendingDigest;
  return r;
}

std::unique_ptr<RedisDeliveryHistory> connect(const test::RedisServer& redis,
                                              DeliveryHistoryLimits limits) {
  return std::make_unique<RedisDeliveryHistory>(test::redis_config(redis), limits);
}

TEST(RedisDeliveryHistory, CapsEachUsersListAndPagesNewestFirstAcrossConnections) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto writer = connect(*redis, {.per_user = 4});
  auto reader = connect(*redis, {.per_user = 4});
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  std::vector<DeliveryRecord> batch;
  for (int i = 1; i <= 6; ++i) batch.push_back(record("alice", i));
  batch.push_back(record("bob", 100));
  ASSERT_TRUE(writer->append(batch).ok());

  auto page = reader->recent("alice", 0, 10);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->size(), 4u);
  EXPECT_EQ(page->front().msg_id, "2024-6");
  EXPECT_EQ(page->front().status, DeliveryStatus::kSent);
  EXPECT_EQ(page->back().msg_id, "2024-3");
  EXPECT_EQ(page->back().status, DeliveryStatus::kPendingDigest);
  auto second = reader->recent("alice", 2, 2);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].msg_id, "2024-4");
  EXPECT_EQ(reader->recent("bob", 0, 10)->size(), 1u);
  EXPECT_TRUE(reader->recent("carol", 0, 10)->empty());
}

TEST(RedisDeliveryHistory, ABatchLargerThanOneScriptCallKeepsTheNewestInOrder) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto history = connect(*redis, {.per_user = 200});
  std::vector<DeliveryRecord> batch;
  for (int i = 1; i <= 1200; ++i) batch.push_back(record("alice", i));
  ASSERT_TRUE(history->append(batch).ok());
  auto kept = history->recent("alice", 0, 1000);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  ASSERT_EQ(kept->size(), 200u);
  EXPECT_EQ(kept->front().msg_id, "2024-1200");
  EXPECT_EQ(kept->back().msg_id, "2024-1001");
}

TEST(RedisDeliveryHistory, AUsersListExpiresTtlAfterItsLastRecord) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto history = connect(*redis, {.ttl = std::chrono::seconds(3600)});
  ASSERT_NE(history, nullptr);
  ASSERT_TRUE(history->append({record("alice", 1)}).ok());
  redisContext* c = redisConnect(redis->host().c_str(), redis->port());
  ASSERT_NE(c, nullptr);
  auto* reply = static_cast<redisReply*>(redisCommand(c, "TTL fmn:history:alice"));
  ASSERT_NE(reply, nullptr);
  EXPECT_GT(reply->integer, 0);
  EXPECT_LE(reply->integer, 3600);
  freeReplyObject(reply);
  redisFree(c);
}

}  // namespace
}  // namespace fmn::sinks

namespace fmn::sinks {
namespace {

TEST(RedisDeliveryHistory, ConnectsOnceRedisIsThereAndAgainAfterARestart) {
  auto port = test::pick_free_port();
  ASSERT_TRUE(port.ok());
  RedisConfig config;
  config.host = "127.0.0.1";
  config.port = *port;
  RedisDeliveryHistory history(config, {});
  EXPECT_FALSE(history.append({record("alice", 1)}).ok());  // nothing listens yet
  EXPECT_FALSE(history.recent("alice", 0, 10).ok());
  auto redis = test::RedisServer::start({.port = *port, .appendonly = true});
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  ASSERT_TRUE(history.append({record("alice", 2)}).ok());
  ASSERT_TRUE(redis->restart().ok());
  auto after = history.recent("alice", 0, 10);
  ASSERT_TRUE(after.ok()) << after.error().message;
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().msg_id, "2024-2");
}

}  // namespace
}  // namespace fmn::sinks
