// Durable digests against the real fmn-pipeline and Redis: kill -9 with digests pending and with
// one in flight (the SMTP server down), then restart — every item arrives exactly once; and a
// Redis restart while the service runs — it degrades, says so, and recovers on its own.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <thread>

#include "tests/faults/expected_notifications.h"
#include "tests/faults/pipeline_process.h"
#include "tests/faults/scenario.h"
#include "tests/support/redis_server.h"
#include "tests/support/smtp_server.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;

// Items waiting in Redis in pending digests (fmn:<kind>:digest:<key> lists), -1 when
// unreachable.
long long pending_items(const test::RedisServer& redis) {
  std::unique_ptr<redisContext, decltype(&redisFree)> c(
      redisConnect(redis.host().c_str(), redis.port()), &redisFree);
  if (!c || c->err) return -1;
  auto* keys = static_cast<redisReply*>(redisCommand(c.get(), "KEYS fmn:*:digest:*"));
  if (keys == nullptr) return -1;
  long long total = 0;
  for (size_t i = 0; i < keys->elements; ++i) {
    auto* len = static_cast<redisReply*>(redisCommand(c.get(), "LLEN %s", keys->element[i]->str));
    if (len != nullptr) total += len->integer;
    freeReplyObject(len);
  }
  freeReplyObject(keys);
  return total;
}

bool wait_pending(const test::RedisServer& redis, long long count, test::Duration timeout) {
  return wait_for_count([&] { return pending_items(redis); }, count, timeout);
}

TEST(RedisFaults, KillNineWithPendingAndInFlightDigestsLosesAndDuplicatesNothing) {
  test::RedisOptions durable;
  durable.appendonly = true;
  auto redis = test::RedisServer::start(durable);
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto bus = test::ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;
  auto pipeline = PipelineProcess::start(
      {one_user_prefs(kItemRule, "{ to = \"email\", every = \"1h\", count = 10 }"),
       servers_config(bus->endpoint(), smtp->url(), test::loopback_address(redis->port()))});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(bus->wait_for_subscriptions(1, 30s).ok());

  // Six items pending in Redis when the service crashes...
  ASSERT_TRUE(bus->play(numbered_items("a", 1, 6)).ok());
  ASSERT_TRUE(wait_pending(*redis, 6, 30s)) << pipeline->log_text();
  pipeline->kill();
  ASSERT_TRUE(pipeline->restart().ok());
  ASSERT_TRUE(bus->wait_for_subscriptions(2, 30s).ok());
  // ...are still there after the restart: four more complete the digest of ten.
  ASSERT_TRUE(bus->play(numbered_items("a", 7, 4)).ok());
  auto first = smtp->wait_for_mail(1, 60s);
  ASSERT_TRUE(first.ok()) << first.error().message << "\n" << pipeline->log_text();

  // The next digest is in flight, the SMTP server down, when the service crashes again.
  ASSERT_TRUE(smtp->stop().ok());
  ASSERT_TRUE(bus->play(numbered_items("a", 11, 10)).ok());
  auto retried = pipeline->wait_metric(
      "fmn_retried_total", "sink=\"email\"", [](double v) { return v >= 1; }, 60s);
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  pipeline->kill();
  ASSERT_TRUE(smtp->restart().ok());
  ASSERT_TRUE(pipeline->restart().ok());
  auto second = smtp->wait_for_mail(2, 90s);
  ASSERT_TRUE(second.ok()) << second.error().message << "\n" << pipeline->log_text();
  ASSERT_TRUE(pipeline->terminate().ok());

  auto all = smtp->received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(describe(digest_topics(all.value())), describe(items_once("a", 1, 20)));
}

TEST(RedisFaults, RedisRestartWhileRunningDegradesThenRecovers) {
  test::RedisOptions durable;
  durable.appendonly = true;
  auto redis = test::RedisServer::start(durable);
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto bus = test::ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;
  auto pipeline = PipelineProcess::start(
      {one_user_prefs(kItemRule, "{ to = \"email\", every = \"1h\", count = 5 }"),
       servers_config(bus->endpoint(), smtp->url(), test::loopback_address(redis->port()))});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(bus->wait_for_subscriptions(1, 30s).ok());

  ASSERT_TRUE(bus->play(numbered_items("a", 1, 5)).ok());
  ASSERT_TRUE(smtp->wait_for_mail(1, 60s).ok()) << pipeline->log_text();

  // Redis goes away while messages keep coming.
  ASSERT_TRUE(redis->stop().ok());
  ASSERT_TRUE(bus->play(numbered_items("a", 6, 5)).ok());
  auto seen = pipeline->wait_metric(
      "fmn_messages_received_total", "", [](double v) { return v == 10; }, 30s);
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  ASSERT_TRUE(redis->restart().ok());

  // Back: later messages are batched and delivered again, without any intervention. Items the
  // outage held in memory may fill the first digest after it, leaving some of 11-15 pending:
  // further items (from 16 on) complete the next digest until all of 11-15 have arrived.
  ASSERT_TRUE(bus->play(numbered_items("a", 11, 5)).ok());
  std::map<std::string, int> got;
  size_t played = 15;
  for (size_t mails = 2;; ++mails) {
    auto recovered = smtp->wait_for_mail(mails, 90s);
    ASSERT_TRUE(recovered.ok()) << recovered.error().message << "\n" << pipeline->log_text();
    got = digest_topics(recovered.value());
    bool all_after = true;
    for (const auto& [topic, n] : items_once("a", 11, 5)) all_after &= got.count(topic) != 0;
    if (all_after) break;
    ASSERT_LT(played, 30u) << "items 11-15 still pending after " << mails << " digests";
    ASSERT_TRUE(bus->play(numbered_items("a", played + 1, 5)).ok());
    played += 5;
  }
  ASSERT_TRUE(pipeline->terminate().ok());
  std::string log = pipeline->log_text();
  EXPECT_NE(log.find("redis"), std::string::npos) << "the outage is logged:\n" << log;

  // Items from before and after the outage arrive exactly once; those of the outage, and the
  // later ones that completed a digest, at most once (see docs/reliability.md).
  std::map<std::string, int> at_most_once = items_once("a", 6, 5);
  at_most_once.merge(items_once("a", 16, played - 15));
  std::map<std::string, int> outside;
  for (const auto& [topic, n] : got) {
    if (at_most_once.count(topic) != 0) {
      EXPECT_EQ(n, 1) << topic;
    } else {
      outside[topic] = n;
    }
  }
  std::map<std::string, int> expected = items_once("a", 1, 5);
  expected.merge(items_once("a", 11, 5));
  EXPECT_EQ(describe(outside), describe(expected));
}

}  // namespace
}  // namespace fmn::faults
