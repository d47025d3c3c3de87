// The recent-message store's copy in a real Redis: messages found by msg_id, bounded by
// max_messages, read back newest last; and the service's recorder writing it and refilling a
// new ring from it, as after a restart.
#include <gtest/gtest.h>

#include <thread>

#include "core/envelope_parser.h"
#include "pipeline/recent_recorder.h"
#include "sinks/redis_connection.h"
#include "sinks/redis_recent_messages.h"
#include "tests/support/redis_config.h"
#include "tests/support/redis_server.h"

namespace fmn::pipeline {
namespace {

using namespace std::chrono_literals;

MessagePtr message(const std::string& msg_id) {
  auto m = parse_envelope(R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":")" +
                          msg_id + R"(","timestamp":1700000000,"msg":{"comment":{"text":"hi )" +
                          msg_id + R"("}}})");
  EXPECT_TRUE(m.ok());
  return MessagePtr(std::move(m).value());
}

TEST(RecentRedis, FindsMessagesByMsgIdAndKeepsAboutMaxMessages) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto store = std::make_unique<sinks::RedisRecentMessages>(
      test::redis_config(*redis), sinks::RecentMessagesConfig{.max_messages = 10, .max_age = 1h});
  std::vector<MessagePtr> batch;
  for (int i = 0; i < 1000; ++i) {
    batch.push_back(message("m" + std::to_string(i)));
    if (batch.size() == 100) {
      ASSERT_TRUE(store->write(batch).ok());
      batch.clear();
    }
  }
  auto found = store->find("m999");
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  auto parsed = parse_envelope((*found)->envelope);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)->msg_id, "m999");
  EXPECT_EQ((*parsed)->timestamp, 1700000000);
  EXPECT_STREQ((*(*parsed)->body)["comment"]["text"].GetString(), "hi m999");
  EXPECT_LE(std::chrono::system_clock::now() - (*found)->received, 1h);

  // MAXLEN ~ trims whole stream nodes: about 10 are kept, never the first of 1,000.
  auto gone = store->find("m0");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto unknown = store->find("never-seen");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());

  auto newest = store->newest(5);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 5u);
  EXPECT_NE(newest->back().envelope.find("\"msg_id\":\"m999\""), std::string::npos);
  EXPECT_NE(newest->front().envelope.find("\"msg_id\":\"m995\""), std::string::npos);
  auto all = store->newest(100000);
  ASSERT_TRUE(all.ok());
  EXPECT_GE(all->size(), 10u);
  EXPECT_LT(all->size(), 1000u);
}

// A msg_id comes from the bus with no length limit: the store finds the message by it all the
// same, and its key holds a bounded form (core/bounded_id.h), not a megabyte for `max_age`.
TEST(RecentRedis, AHugeMsgIdIsFoundButMakesNoHugeKey) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  sinks::RedisRecentMessages store(test::redis_config(*redis),
                                   sinks::RecentMessagesConfig{.max_messages = 10, .max_age = 1h});
  const std::string huge(1 << 20, 'h');
  const std::string near = huge.substr(1) + "i";  // as long, another id
  ASSERT_TRUE(store.write({message(huge), message("short")}).ok());

  auto found = store.find(huge);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_TRUE(found->has_value());
  auto parsed = parse_envelope((*found)->envelope);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)->msg_id, huge);
  auto other = store.find(near);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  auto plain = store.find("short");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->has_value());

  auto admin = sinks::RedisConnection::open(test::redis_config(*redis));
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  auto keys = (*admin)->command({"KEYS", "*"});
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  EXPECT_EQ(keys->elements.size(), 3u);  // the stream and the two msg_ids' keys
  for (const std::string& key : keys->elements) EXPECT_LE(key.size(), 300u);
}

TEST(RecentRedis, TheRecorderWritesRedisAndANewRecorderRefillsItsRingFromIt) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto meta = MetaExtractor::builtin(builtin_aliases());
  ASSERT_TRUE(meta.ok());
  const sinks::RecentMessagesConfig limits{.max_messages = 100, .max_age = 24h};
  auto open = [&] {
    return std::make_unique<sinks::RedisRecentMessages>(test::redis_config(*redis), limits);
  };
  {
    auto ring = std::make_shared<sinks::RecentMessages>(limits);
    RecentRecorder recorder(ring, open(), true, **meta, 1000);
    ParsedBatch batch;
    for (int i = 0; i < 3; ++i) batch.messages.push_back(message("before-" + std::to_string(i)));
    recorder.offer(batch);
    for (int i = 0; i < 1000 && recorder.counters().recorded.load() < 3; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(ring->size(), 3u);
  }  // the recorder stops: a restart

  auto ring = std::make_shared<sinks::RecentMessages>(limits);
  RecentRecorder recorder(ring, open(), true, **meta, 1000);
  for (int i = 0; i < 1000 && recorder.counters().reloaded.load() < 3; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(recorder.counters().reloaded.load(), 3u);
  auto found = ring->find("before-1", std::chrono::system_clock::now());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->message->topic, "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_EQ(found->message->meta.category, "bodhi");  // the meta was extracted again
  EXPECT_EQ(recorder.counters().redis_errors.load(), 0u);
}

TEST(RecentRedis, ARedisThatIsDownFailsEachCallUntilItAnswers) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  ASSERT_TRUE(redis->stop().ok());
  sinks::RedisRecentMessages store(test::redis_config(*redis), {});
  EXPECT_FALSE(store.write({message("while-down")}).ok());
  EXPECT_FALSE(store.find("while-down").ok());
  ASSERT_TRUE(redis->restart().ok());
  ASSERT_TRUE(store.write({message("once-up")}).ok());
  auto found = store.find("once-up");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_TRUE(found->has_value());
}

TEST(RecentRecorder, ABatchThatDoesNotFitTheQueueIsDroppedAndCounted) {
  auto meta = MetaExtractor::builtin(builtin_aliases());
  ASSERT_TRUE(meta.ok());
  auto ring = std::make_shared<sinks::RecentMessages>(sinks::RecentMessagesConfig{});
  RecentRecorder recorder(ring, nullptr, false, **meta, 2);
  ParsedBatch big;
  for (int i = 0; i < 3; ++i) big.messages.push_back(message("big-" + std::to_string(i)));
  recorder.offer(big);
  EXPECT_EQ(recorder.counters().dropped.load(), 3u);
  ParsedBatch small;
  small.messages.push_back(message("small"));
  recorder.offer(small);
  for (int i = 0; i < 1000 && recorder.counters().recorded.load() < 1; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(ring->find("small", std::chrono::system_clock::now()).has_value());
  EXPECT_FALSE(ring->find("big-0", std::chrono::system_clock::now()).has_value());
}

}  // namespace
}  // namespace fmn::pipeline
