// The durable outbox against the real fmn-pipeline: kill -9 right after a burst, with the SMTP
// server down, then a restart — every notification the pipeline had accepted arrives exactly
// once, from the outbox alone (the bus does not bring the burst again); dead letters, listed
// and replayed by the operator.
#include <gtest/gtest.h>

#include <algorithm>
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

// Plays the first 150 corpus messages once the pipeline subscribed; returns the ids ralph's
// watched rule matches.
Result<std::set<std::string>> play_watched(test::ZmqPublisher& bus) {
  if (auto subscribed = bus.wait_for_subscriptions(1, 30s); !subscribed.ok()) {
    return subscribed.error();
  }
  auto slice = corpus_slice(150);
  std::set<std::string> expected = matched_ids(slice, kWatchedRule, "ralph");
  if (expected.size() < 10) return Error{ErrorCode::kIo, "the corpus slice matches too little"};
  if (auto played = bus.play(slice); !played.ok()) return played.error();
  return expected;
}

// Redis, an SMTP server and the bus, each on a free port.
struct Servers {
  Result<test::RedisServer> redis;
  Result<test::SmtpServer> smtp;
  Result<test::ZmqPublisher> bus;
};

Servers start_servers(const test::RedisOptions& redis = {}) {
  return {test::RedisServer::start(redis), test::SmtpServer::start(), test::ZmqPublisher::start()};
}

// Why one of `servers` did not start; empty when all did.
std::string failure(const Servers& servers) {
  if (!servers.redis) return servers.redis.error().message;
  if (!servers.smtp) return servers.smtp.error().message;
  if (!servers.bus) return servers.bus.error().message;
  return "";
}

// fmn-pipeline with `prefs`, on `servers`.
Result<PipelineProcess> start_pipeline(Servers& servers, std::string prefs) {
  return PipelineProcess::start(
      {std::move(prefs), servers_config(servers.bus->endpoint(), servers.smtp->url(),
                                        test::loopback_address(servers.redis->port()))});
}

// Waits until the pipeline counts `count` email dead letters.
test::Status wait_dead_letters(const PipelineProcess& pipeline, double count) {
  return pipeline.wait_metric(
      "fmn_outbox_dead_letters_total", "sink=\"email\"", [&](double v) { return v >= count; },
      120s);
}

TEST(OutboxFaults, KillNineAfterABurstWithSmtpDownDeliversEachNotificationOnceAfterRestart) {
  test::RedisOptions durable;
  durable.appendonly = true;
  auto servers = start_servers(durable);
  ASSERT_EQ(failure(servers), "");
  auto& [redis, smtp, bus] = servers;
  ASSERT_TRUE(smtp->stop().ok());  // down: connections are refused

  auto pipeline = start_pipeline(servers, one_user_prefs(kWatchedRule, "{ to = \"email\" }"));
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto played = play_watched(*bus);
  ASSERT_TRUE(played.ok()) << played.error().message;
  const std::set<std::string>& expected = played.value();

  // Every notification is in the outbox and the sink is retrying when the service crashes.
  const auto count = static_cast<long long>(expected.size());
  ASSERT_TRUE(wait_notifications(*redis, "email", count, 60s)) << pipeline->log_text();
  auto retried = pipeline->wait_metric(
      "fmn_retried_total", "sink=\"email\"", [](double v) { return v >= 1; }, 60s);
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  pipeline->kill();

  ASSERT_TRUE(smtp->restart().ok());
  ASSERT_TRUE(pipeline->restart().ok());
  auto mail = smtp->wait_for_mail(expected.size(), 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  EXPECT_EQ(pipeline->metric("fmn_outbox_recovered_total", "sink=\"email\""),
            static_cast<double>(count));
  EXPECT_TRUE(wait_notifications(*redis, "email", 0, 60s)) << pipeline->log_text();
  ASSERT_TRUE(pipeline->terminate().ok());
  EXPECT_NE(pipeline->log_text().find("left in the outbox: email=0"), std::string::npos)
      << pipeline->log_text();

  auto all = smtp->received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(describe(received_ids(all.value())), describe(once_each(expected)));
}

// Two users watch the same messages, so each batch holds a notification for both; the SMTP
// server refuses one of them for good. Only that one's notifications become dead letters, the
// other's are all delivered, and the operator can list them.
TEST(OutboxFaults, OneRecipientRefusedForGoodIsADeadLetterAndTheRestOfItsBatchIsDelivered) {
  auto servers = start_servers();
  ASSERT_EQ(failure(servers), "");
  auto& [redis, smtp, bus] = servers;
  const std::string refused = "refused-bob@example.org";
  const std::string prefs = one_user_prefs(kWatchedRule, "{ to = \"email\" }") +
                            "[[users]]\nname = \"bob\"\n"
                            "[[users.destinations]]\nkind = \"email\"\naddress = \"" +
                            refused +
                            "\"\n"
                            "[[users.rules]]\nname = \"watched\"\nsource = '" +
                            kWatchedRule + "'\ndeliver = [{ to = \"email\" }]\n";
  auto pipeline = start_pipeline(servers, prefs);
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto played = play_watched(*bus);
  ASSERT_TRUE(played.ok()) << played.error().message;
  const std::set<std::string>& expected = played.value();

  const auto count = static_cast<double>(expected.size());
  auto dead = wait_dead_letters(*pipeline, count);
  ASSERT_TRUE(dead.ok()) << dead.error().message;
  auto mail = smtp->wait_for_mail(expected.size(), 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  EXPECT_TRUE(wait_notifications(*redis, "email", 0, 60s)) << pipeline->log_text();
  EXPECT_EQ(pipeline->metric("fmn_outbox_dead_letters_total", "sink=\"email\""), count);

  auto listed = pipeline->admin_text("/dead-letters?user=bob");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  EXPECT_EQ(std::count(listed->begin(), listed->end(), '\n'), static_cast<long>(count))
      << listed.value();
  EXPECT_NE(listed->find("email\t"), std::string::npos) << listed.value();
  EXPECT_NE(listed->find("\tbob\t" + refused + "\t"), std::string::npos) << listed.value();
  EXPECT_NE(listed->find("550"), std::string::npos) << listed.value();
  auto ralphs = pipeline->admin_text("/dead-letters?user=ralph");
  ASSERT_TRUE(ralphs.ok());
  EXPECT_EQ(ralphs.value(), "");
  ASSERT_TRUE(pipeline->terminate().ok());

  auto all = smtp->received();
  ASSERT_TRUE(all.ok());
  for (const test::ReceivedMail& m : all.value()) {
    EXPECT_EQ(m.rcpt_to, std::vector<std::string>{"ralph@example.org"});
  }
  EXPECT_EQ(describe(received_ids(all.value())), describe(once_each(expected)));
}

// The SMTP server refuses every message for a while: each notification becomes a dead letter.
// Once it accepts again, the operator replays them: each arrives once, and the dead letters are
// gone.
TEST(OutboxFaults, DeadLettersReplayedOnceTheServerAcceptsAreDeliveredOnceEach) {
  auto servers = start_servers();
  ASSERT_EQ(failure(servers), "");
  auto& [redis, smtp, bus] = servers;
  ASSERT_TRUE(smtp->set_mode(test::SmtpMode::kRefuseData).ok());
  auto pipeline = start_pipeline(servers, one_user_prefs(kWatchedRule, "{ to = \"email\" }"));
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto played = play_watched(*bus);
  ASSERT_TRUE(played.ok()) << played.error().message;
  const std::set<std::string>& expected = played.value();
  auto dead = wait_dead_letters(*pipeline, static_cast<double>(expected.size()));
  ASSERT_TRUE(dead.ok()) << dead.error().message;
  auto none = smtp->received();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  ASSERT_TRUE(smtp->set_mode(test::SmtpMode::kAccept).ok());
  auto replayed = pipeline->admin_post("/dead-letters/replay?user=ralph");
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  EXPECT_EQ(replayed.value(), "email\t" + std::to_string(expected.size()) + " dead letters, " +
                                  std::to_string(expected.size()) + " notifications replayed\n");
  auto mail = smtp->wait_for_mail(expected.size(), 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  EXPECT_TRUE(wait_notifications(*redis, "email", 0, 60s)) << pipeline->log_text();
  auto left = pipeline->admin_text("/dead-letters");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left.value(), "");
  // A second replay finds nothing.
  auto again = pipeline->admin_post("/dead-letters/replay");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again.value(), "email\t0 dead letters, 0 notifications replayed\n");
  ASSERT_TRUE(pipeline->terminate().ok());

  auto all = smtp->received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(describe(received_ids(all.value())), describe(once_each(expected)));
}

// Redis not up yet when fmn-pipeline starts: it neither crashes nor runs without its outbox, but
// exits with status 1 and a message naming Redis; once Redis is up, a start delivers a burst
// through the outbox, each notification once.
TEST(OutboxFaults, RedisDownAtTheStartIsRefusedAndOnceItIsUpTheNextStartDeliversThroughTheOutbox) {
  auto redis_port = test::pick_free_port();
  ASSERT_TRUE(redis_port.ok()) << redis_port.error().message;
  auto smtp = test::SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  auto bus = test::ZmqPublisher::start();
  ASSERT_TRUE(bus.ok()) << bus.error().message;
  const PipelineOptions options{
      one_user_prefs(kWatchedRule, "{ to = \"email\" }"),
      servers_config(bus->endpoint(), smtp->url(), test::loopback_address(*redis_port))};

  auto refused = PipelineProcess::start(options);
  ASSERT_FALSE(refused.ok());
  const std::string& why = refused.error().message;
  EXPECT_NE(why.find("exited with status 1"), std::string::npos) << why;
  EXPECT_NE(why.find("state.redis: redis " + test::loopback_address(*redis_port)),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("not starting without it"), std::string::npos) << why;

  test::RedisOptions late;
  late.port = *redis_port;
  late.appendonly = true;
  auto redis = test::RedisServer::start(late);
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto pipeline = PipelineProcess::start(options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto played = play_watched(*bus);
  ASSERT_TRUE(played.ok()) << played.error().message;
  const std::set<std::string>& expected = played.value();
  auto mail = smtp->wait_for_mail(expected.size(), 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  EXPECT_TRUE(wait_notifications(*redis, "email", 0, 60s)) << pipeline->log_text();
  EXPECT_EQ(pipeline->metric("fmn_outbox_errors_total", "sink=\"email\""), 0.0);
  ASSERT_TRUE(pipeline->terminate().ok());
  auto all = smtp->received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(describe(received_ids(all.value())), describe(once_each(expected)));
}

}  // namespace
}  // namespace fmn::faults
