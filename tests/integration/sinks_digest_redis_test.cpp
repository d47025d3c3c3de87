// Durable digests in a real Redis: pending digests survive a restart of the sender (and of
// Redis with its append-only file) and are delivered exactly once, to a real SMTP server.
#include <gtest/gtest.h>

#include <cstdio>

#include "sinks/curl_smtp_transport.h"
#include "sinks/digest_batcher.h"
#include "sinks/email_sink.h"
#include "sinks/redis_digest_store.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/recording_sink.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_server.h"
#include "tests/support/smtp_server.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;
using testing::make_notification;
using testing::MessageSpec;

Notification numbered(int i) {
  MessageSpec spec;
  spec.msg_id = "2024-item-" + std::to_string(i);
  spec.subtitle = "item " + std::to_string(i);
  Notification n = make_notification(spec, DestinationKind::kEmail, "alice@example.org");
  n.digest = DigestPolicy{3600s, 0};  // hourly
  return n;
}

std::unique_ptr<RedisDigestStore> connect(const test::RedisServer& redis) {
  RedisConfig config;
  config.host = redis.host();
  config.port = redis.port();
  auto store = RedisDigestStore::connect(config);
  if (!store) ADD_FAILURE() << store.error().message;
  return store ? std::move(store.value()) : nullptr;
}

TEST(RedisDigests, PendingDigestSurvivesASenderRestartAndIsSentOnce) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  std::printf("Redis at %s, SMTP at %s\n", redis->url().c_str(), smtp->url().c_str());
  SmtpConfig smtp_config;
  smtp_config.url = smtp->url();
  FakeClock clock;

  {  // First run: three items wait for the hourly digest, then the sender stops.
    auto store = connect(*redis);
    ASSERT_NE(store, nullptr);
    EmailSink sink(std::move(CurlSmtpTransport::create(smtp_config).value()), {},
                   TemplateSet::builtin(), clock);
    DigestBatcher batcher(sink, *store, {}, clock);
    batcher.deliver(std::vector{numbered(1), numbered(2), numbered(3)});
    batcher.tick();
  }
  clock.advance(3600s);
  {  // Second run: the bus replays item 2 (refused as a repeat); the digest is due.
    auto store = connect(*redis);
    ASSERT_NE(store, nullptr);
    EmailSink sink(std::move(CurlSmtpTransport::create(smtp_config).value()), {},
                   TemplateSet::builtin(), clock);
    DigestBatcher batcher(sink, *store, {}, clock);
    batcher.recover();
    batcher.deliver(std::vector{numbered(2)});
    batcher.tick();
    batcher.tick();
    EXPECT_EQ(sink.counters().delivered.load(), 1u);
  }
  auto mail = smtp->wait_for_mail(1, 30s);
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  ASSERT_EQ(mail->size(), 1u);
  const std::string& data = (*mail)[0].data;
  EXPECT_NE(data.find("X-Fedmsg-Digest-Count: 3\r\n"), std::string::npos);
  for (int i = 1; i <= 3; ++i) {
    EXPECT_NE(data.find(std::to_string(i) + ". item " + std::to_string(i)), std::string::npos);
  }
}

TEST(RedisDigests, InFlightDigestIsRedeliveredOnceAfterACrash) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  FakeClock clock;
  {  // A run that took the digest and died before handing it to the sink.
    auto store = connect(*redis);
    ASSERT_NE(store, nullptr);
    testing::RecordingSink sink;
    DigestBatcher batcher(sink, *store, {}, clock);
    batcher.deliver(std::vector{numbered(1), numbered(2)});
    ASSERT_EQ(store->take(DigestBatcher::key_of(numbered(1))).value().size(), 2u);
  }
  auto store = connect(*redis);
  ASSERT_NE(store, nullptr);
  testing::RecordingSink sink;
  DigestBatcher batcher(sink, *store, {}, clock);
  batcher.recover();
  ASSERT_EQ(sink.digests.size(), 1u);
  EXPECT_EQ(sink.digests[0].items.size(), 2u);
  batcher.recover();
  clock.advance(2h);
  batcher.tick();
  EXPECT_EQ(sink.digests.size(), 1u);
}

TEST(RedisDigests, SurvivesARedisRestartWithAppendOnlyFile) {
  test::RedisOptions options;
  options.appendonly = true;
  auto redis = test::RedisServer::start(options);
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  FakeClock clock;
  auto store = connect(*redis);
  ASSERT_NE(store, nullptr);
  testing::RecordingSink sink;
  DigestBatcher batcher(sink, *store, {}, clock);
  batcher.deliver(std::vector{numbered(1)});
  ASSERT_TRUE(redis->restart().ok()) << redis->log_text();
  batcher.deliver(std::vector{numbered(2), numbered(1)});  // the store reconnects
  clock.advance(1h);
  batcher.tick();
  ASSERT_EQ(sink.digests.size(), 1u);
  EXPECT_EQ(sink.digests[0].items.size(), 2u);
  EXPECT_EQ(batcher.counters().failed.load(), 0u);
}

}  // namespace
}  // namespace fmn::sinks
