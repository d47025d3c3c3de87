// The SSE backlog kept in Redis: with a memory store too small to hold a feed's history, curl
// resuming with Last-Event-ID still gets exactly the events after it, and so it does from a new
// server process's memory-less start; a resume waiting for a slow Redis holds up no one else.
#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "sinks/notification_codec.h"
#include "sinks/redis_connection.h"
#include "sinks/sse_server.h"
#include "sinks/sse_sink.h"
#include "tests/sinks/feed_token.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/support/command_output.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/redis_config.h"
#include "tests/support/redis_server.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;

using test::command_output;

// curl reading `feed` for a second, resuming after `last_id`.
std::string curl(const SseServer& server, const std::string& feed, const std::string& last_id) {
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/feeds/" + feed +
                          "?token=" + test_feed_token(feed);
  return command_output("curl -sN --max-time 1 -H 'Last-Event-ID: " + last_id + "' '" + url + "'");
}

// (id, data) of each event in a stream, in order.
std::vector<std::pair<std::string, std::string>> events_of(const std::string& stream) {
  std::vector<std::pair<std::string, std::string>> events;
  for (size_t at = stream.find("\nid: "); at != std::string::npos;
       at = stream.find("\nid: ", at + 1)) {
    const size_t id_end = stream.find('\n', at + 1);
    const size_t data = id_end + 1 + 6;  // "data: "
    events.emplace_back(stream.substr(at + 5, id_end - at - 5),
                        stream.substr(data, stream.find('\n', data) - data));
  }
  return events;
}

RedisConfig patient_redis_config(const test::RedisServer& redis) {
  RedisConfig config = test::redis_config(redis);
  config.timeout = 60s;  // a paused Redis is waited for, not given up on
  return config;
}

std::unique_ptr<SseServer> start(const test::RedisServer& redis) {
  SseServerConfig config;
  config.backlog_bytes = 1024;  // memory holds a few events
  config.redis.emplace();
  config.redis->redis = patient_redis_config(redis);
  auto server = SseServer::start(config, test_feed_auth);
  if (!server) ADD_FAILURE() << server.error().message;
  return server ? std::move(server.value()) : nullptr;
}

// A Redis server, and an SSE server keeping its backlog there, whose alice feed has had e0..e49
// (all of them in Redis, only the last few in memory).
class SseRedis : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = test::RedisServer::start();
    ASSERT_TRUE(redis.ok()) << redis.error().message;
    redis_.emplace(std::move(redis).value());
    server_ = start(*redis_);
    ASSERT_NE(server_, nullptr);
    for (int i = 0; i < 50; ++i) server_->publish("alice", "e" + std::to_string(i));
    for (int i = 0; i < 1000 && server_->stored_events() < 50; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(server_->stored_events(), 50u);
  }

  std::optional<test::RedisServer> redis_;
  std::unique_ptr<SseServer> server_;
};

TEST_F(SseRedis, ResumesFromRedisPastTheMemoryBudgetAndAcrossARestart) {
  auto& server = server_;
  const test::RedisServer& redis = *redis_;

  const auto all = events_of(curl(*server, "alice", "1"));  // from the very first
  ASSERT_EQ(all.size(), 50u);                               // more than the memory store holds
  for (int i = 0; i < 50; ++i) EXPECT_EQ(all[i].second, "e" + std::to_string(i));
  const auto after = events_of(curl(*server, "alice", all[9].first));
  ASSERT_EQ(after.size(), 40u);
  EXPECT_EQ(after.front().second, "e10");
  EXPECT_EQ(after.back().second, "e49");

  server.reset();  // a restart: the new server's memory is empty
  server = start(redis);
  ASSERT_NE(server, nullptr);
  server->publish("alice", "new");
  for (int i = 0; i < 1000 && server->stored_events() < 1; ++i) std::this_thread::sleep_for(10ms);
  const auto resumed = events_of(curl(*server, "alice", all[44].first));
  ASSERT_EQ(resumed.size(), 6u);
  EXPECT_EQ(resumed.front().second, "e45");
  EXPECT_EQ(resumed[4].second, "e49");
  EXPECT_EQ(resumed.back().second, "new");
  EXPECT_GT(std::stoull(resumed.back().first), std::stoull(resumed[4].first));
  EXPECT_EQ(server->store_errors(), 0u);
}

TEST_F(SseRedis, OtherClientsKeepReceivingWhileAResumeWaitsForRedis) {
  auto& server = server_;
  const test::RedisServer& redis = *redis_;
  const auto url = [](const std::string& feed) {
    return "/feeds/" + feed + "?token=" + test_feed_token(feed);
  };
  test::Client bob(server->port(), test::get(url("bob")));
  ASSERT_TRUE(test::wait_for([&] { return server->clients() == 1; }));

  // Redis holds every script (the backlog's reads and writes) until unpaused.
  auto pauser = RedisConnection::open(patient_redis_config(redis));
  ASSERT_TRUE(pauser.ok()) << pauser.error().message;
  ASSERT_TRUE((*pauser)->command({"CLIENT", "PAUSE", "60000", "WRITE"}).ok());
  // Resuming from before the first event needs Redis: memory holds only the last few.
  test::Client alice(server->port(), test::get(url("alice"), "Last-Event-ID: 1\r\n"));
  ASSERT_TRUE(test::wait_for([&] { return server->clients() == 2; }));

  server->publish("bob", "live");
  EXPECT_NE(bob.read_until("data: live").find("data: live"), std::string::npos);
  EXPECT_EQ(alice.occurrences("data: e"), 0u);  // still waiting for Redis
  server->publish("alice", "during");

  ASSERT_TRUE((*pauser)->command({"CLIENT", "UNPAUSE"}).ok());
  const std::string& got = alice.read_until("data: during");
  const auto events = events_of(got);
  ASSERT_EQ(events.size(), 51u) << got;  // all 50, then the one published while it waited
  for (int i = 0; i < 50; ++i) EXPECT_EQ(events[i].second, "e" + std::to_string(i));
  EXPECT_EQ(events.back().second, "during");
  EXPECT_EQ(alice.occurrences("event: missed"), 0u);
  EXPECT_EQ(server->store_errors(), 0u);
}

// A notification's event counts as delivered (its outbox entry may go) only once Redis holds it:
// handed to the server, or live in memory, is not enough, since a crash then would lose it for
// good. While Redis holds the backlog's writes the sink settles nothing, and it settles each
// once Redis has written it.
TEST_F(SseRedis, ANotificationIsSettledOnlyOnceItsEventIsInRedis) {
  auto pauser = RedisConnection::open(patient_redis_config(*redis_));
  ASSERT_TRUE(pauser.ok()) << pauser.error().message;
  ASSERT_TRUE((*pauser)->command({"CLIENT", "PAUSE", "60000", "WRITE"}).ok());

  SseSink sink(*server_);
  testing::MessageSpec spec;
  spec.subtitle = "held by redis";
  const std::vector<Notification> batch{
      testing::make_notification(spec, DestinationKind::kSse, "bob")};
  int settled = 0;
  std::vector<NotificationSettled> callbacks{NotificationSettled([&] { ++settled; })};
  sink.deliver_confirmed(batch, callbacks);
  sink.tick();
  EXPECT_EQ(settled, 0);  // published, not yet in Redis
  EXPECT_EQ(server_->stored_events(), 50u);
  EXPECT_EQ(sink.drain(0ms), 1u);  // a stop now would leave it in the outbox

  ASSERT_TRUE((*pauser)->command({"CLIENT", "UNPAUSE"}).ok());
  ASSERT_TRUE(test::wait_for([&] {
    sink.tick();
    return settled == 1;
  }));
  EXPECT_EQ(server_->stored_events(), 51u);
  EXPECT_EQ(sink.drain(0ms), 0u);
  // And bob, resuming from before it, gets it from Redis.
  const std::string got = curl(*server_, "bob", "0");
  EXPECT_NE(got.find("held by redis"), std::string::npos) << got;
}

// After a crash, a notification can come again: its outbox entry taken back (the event was kept,
// the entry not yet removed), or its message redelivered by the broker. The event Redis kept the
// first time is its mark: a new server's sink settles it without publishing it again, and still
// publishes one read back that never was.
TEST_F(SseRedis, ANotificationReadBackAfterARestartIsNotPublishedAgainWhenRedisHoldsItsEvent) {
  testing::MessageSpec first_spec, second_spec;
  first_spec.subtitle = "kept before the crash";
  second_spec.msg_id = "2024-0f3c5a1e-9999-2222-3333-444455556666";
  second_spec.subtitle = "never published";
  const Notification first = testing::make_notification(first_spec, DestinationKind::kSse, "bob");
  const Notification second = testing::make_notification(second_spec, DestinationKind::kSse, "bob");
  {
    SseSink sink(*server_);
    int settled = 0;
    std::vector<NotificationSettled> callbacks{NotificationSettled([&] { ++settled; })};
    sink.deliver_confirmed(std::vector<Notification>{first}, callbacks);
    ASSERT_TRUE(test::wait_for([&] {
      sink.tick();
      return settled == 1;
    }));
  }

  server_.reset();  // the crash: the outbox still holds both
  server_ = start(*redis_);
  ASSERT_NE(server_, nullptr);
  std::string stored;
  encode_notifications(std::vector<Notification>{first, second}, stored);
  auto read_back = decode_notifications(stored);
  ASSERT_TRUE(read_back.ok()) << read_back.error().message;
  ASSERT_TRUE((*read_back)[0].message->redelivered);

  SseSink sink(*server_);
  int settled = 0;
  std::vector<NotificationSettled> callbacks{NotificationSettled([&] { ++settled; }),
                                             NotificationSettled([&] { ++settled; })};
  sink.deliver_confirmed(*read_back, callbacks);
  ASSERT_TRUE(test::wait_for([&] {
    sink.tick();
    return settled == 2;
  }));
  EXPECT_EQ(sink.already_published(), 1u);
  EXPECT_EQ(sink.counters().delivered.load(), 1u);

  auto redis = RedisConnection::open(test::redis_config(*redis_));
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto held = (*redis)->command({"XLEN", test::redis_config(*redis_).prefix + "sse:bob"});
  ASSERT_TRUE(held.ok()) << held.error().message;
  EXPECT_EQ(held->integer, 2);                                // each once
  const auto events = events_of(curl(*server_, "bob", "1"));  // from the very first
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[0].second.find("kept before the crash"), std::string::npos);
  EXPECT_NE(events[1].second.find("never published"), std::string::npos);
}

}  // namespace
}  // namespace fmn::sinks
