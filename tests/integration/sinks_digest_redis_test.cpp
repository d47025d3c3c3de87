// Durable digests in a real Redis: pending digests survive a restart of the sender (and of
// Redis with its append-only file) and are delivered exactly once, to a real SMTP server; each
// immediate email is marked delivered as soon as the server accepted it.
#include <gtest/gtest.h>

#include <hiredis/hiredis.h>

#include <cstdio>
#include <thread>

#include "sinks/curl_smtp_transport.h"
#include "sinks/digest_batcher.h"
#include "sinks/email_sink.h"
#include "sinks/notification_codec.h"
#include "sinks/redis_digest_store.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/sinks/recording_sink.h"
#include "tests/support/fake_clock.h"
#include "tests/support/redis_config.h"
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
  auto store = RedisDigestStore::connect(test::redis_config(redis));
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

// Every key in `redis`, and every member of its sets and sorted sets, with its size.
std::vector<std::string> keys_and_members(const test::RedisServer& redis) {
  std::vector<std::string> out;
  redisContext* c = redisConnect(redis.host().c_str(), redis.port());
  if (c == nullptr || c->err != 0) {
    ADD_FAILURE() << "redis connection";
    return out;
  }
  auto strings = [&](const char* format, const std::string& arg = "") {
    std::vector<std::string> got;
    auto* r = static_cast<redisReply*>(redisCommand(c, format, arg.data(), arg.size()));
    if (r != nullptr && r->type == REDIS_REPLY_ARRAY) {
      for (size_t i = 0; i < r->elements; ++i)
        got.emplace_back(r->element[i]->str, r->element[i]->len);
    }
    if (r != nullptr) freeReplyObject(r);
    return got;
  };
  for (const std::string& key : strings("KEYS *")) {
    out.push_back(key);
    for (const std::string& m : strings("SMEMBERS %b", key)) out.push_back(m);
    for (const std::string& m : strings("ZRANGE %b 0 -1", key)) out.push_back(m);
  }
  redisFree(c);
  return out;
}

TEST(RedisDigests, AHugeMsgIdMakesNoHugeKey) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  FakeClock clock;
  auto store = connect(*redis);
  ASSERT_NE(store, nullptr);
  testing::RecordingSink sink;
  MessageSpec spec;
  spec.msg_id = "2024-" + std::string(1 << 20, 'x');
  const Notification immediate = make_notification(spec, DestinationKind::kIrc, "alice");
  Notification batched = make_notification(spec, DestinationKind::kEmail, "alice@example.org");
  batched.digest = DigestPolicy{3600s, 0};  // hourly email digests, IRC at once
  DigestBatcher batcher(sink, *store, {}, clock);
  batcher.deliver(std::vector{immediate, batched});
  ASSERT_EQ(sink.single.size(), 1u);
  // The id still dedupes: a replay is refused, and the digest lists the message once.
  batcher.deliver(std::vector{immediate, batched});
  EXPECT_EQ(sink.single.size(), 1u);

  const std::vector<std::string> keys = keys_and_members(*redis);
  EXPECT_GE(keys.size(), 4u);  // both seen markers, the digest list, its due entry
  for (const std::string& key : keys) EXPECT_LE(key.size(), 300u) << key.substr(0, 300);

  clock.advance(1h);
  batcher.tick();
  ASSERT_EQ(sink.digests.size(), 1u);
  ASSERT_EQ(sink.digests[0].items.size(), 1u);
  EXPECT_EQ(sink.digests[0].items[0].message->msg_id, spec.msg_id);
  EXPECT_EQ(batcher.counters().failed.load(), 0u);
}

// Whether `n` is marked delivered in `store`, waiting (bounded) for the mark to appear.
bool wait_marked(RedisDigestStore& store, const Notification& n) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    auto seen = store.seen(delivery_id(n));
    if (seen && *seen) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

// The mark that stops a resend after a crash follows each email's 250, not its batch: while the
// server holds the second email of a batch unanswered, the first one's mark is in Redis already,
// so a crash then would send only the second again.
TEST(RedisDigests, EachEmailIsMarkedDeliveredOnceAcceptedNotOnceItsBatchIsThrough) {
  auto redis = test::RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto store = connect(*redis);
  auto marks = connect(*redis);
  ASSERT_NE(store, nullptr);
  ASSERT_NE(marks, nullptr);
  SmtpConfig smtp_config;
  smtp_config.url = smtp->url();
  EmailSink sink(std::move(CurlSmtpTransport::create(smtp_config).value()), {});
  DigestBatcher batcher(sink, *store);
  MessageSpec spec;
  spec.msg_id = "2024-first";
  const Notification first = make_notification(spec, DestinationKind::kEmail, "alice@example.org");
  spec.msg_id = "2024-second";
  const Notification held =
      make_notification(spec, DestinationKind::kEmail, "held-bob@example.org");

  std::thread sender([&] { batcher.deliver(std::vector{first, held}); });
  auto accepted = smtp->wait_for_mail(1, 30s);
  const bool first_marked = accepted.ok() && wait_marked(*marks, first);
  auto held_seen = marks->seen(delivery_id(held));
  auto received_meanwhile = smtp->received();
  EXPECT_TRUE(smtp->release_held().ok());
  sender.join();

  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_TRUE(first_marked);
  ASSERT_TRUE(held_seen.ok());
  EXPECT_FALSE(*held_seen);  // not accepted yet, so not marked
  ASSERT_TRUE(received_meanwhile.ok());
  EXPECT_EQ(received_meanwhile->size(), 1u);  // the second was still held
  EXPECT_TRUE(wait_marked(*marks, held));
  EXPECT_EQ(sink.counters().delivered.load(), 2u);
}

}  // namespace
}  // namespace fmn::sinks
