// fedora-messaging against the real fmn-pipeline: a real rabbitmq-server, messages published
// by pika exactly as fedora-messaging shapes them, and the exact set of notifications checked
// at a real SMTP server. Only the fedora_messaging_user_ralph header says a message concerns
// ralph (the body names nobody), so every delivery also proves the headers reached the meta.
// Scenarios: fmn down while 10,000 messages are published; kill -9 mid-stream, and with 10,000
// deliveries unacknowledged; RabbitMQ restarted mid-stream; poison among good messages; a corpus
// published by fmn-replay --amqp; AMQPS with a client certificate, and refused for an unknown CA
// or a certificate for another host.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>

#include "tests/faults/expected_notifications.h"
#include "tests/faults/pipeline_process.h"
#include "tests/faults/scenario.h"
#include "tests/support/fedora_messaging_publisher.h"
#include "tests/support/rabbitmq_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/smtp_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_ca.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;

constexpr const char* kMentionsMe = "$me in usernames";

std::string item_topic(size_t n) {
  return "org.fedoraproject.prod.faults.item." + std::to_string(n);
}
std::string item_id(const std::string& run, size_t n) {
  return "fm-" + run + "-" + std::to_string(n);
}

// Messages n in [first, first + count); every `every`-th names ralph in its headers.
std::vector<test::FedoraMessage> items(const std::string& run, size_t first, size_t count,
                                       size_t every) {
  std::vector<test::FedoraMessage> out;
  for (size_t n = first; n < first + count; ++n) {
    test::FedoraMessage m{item_topic(n), item_id(run, n), "{\"n\":" + std::to_string(n) + "}"};
    if (n % every == 0) m.users = {"ralph", "someone_else"};
    out.push_back(std::move(m));
  }
  return out;
}

// The ids (or, for digests, topics) of items() that concern ralph, each once.
std::map<std::string, int> ralphs(const std::string& run, size_t first, size_t count, size_t every,
                                  bool topics = false) {
  std::map<std::string, int> out;
  for (size_t n = first; n < first + count; ++n) {
    if (n % every == 0) out[topics ? item_topic(n) : item_id(run, n)] = 1;
  }
  return out;
}

constexpr const char* kQueue = "fmn-test";

std::string config(const std::string& url, const test::SmtpServer& smtp,
                   const test::RedisServer* redis, const std::string& source_extra = "") {
  std::string out = "[source]\namqp = [\"" + url + "\"]\namqp_queue = \"" + kQueue + "\"\n";
  out += source_extra;
  out += "[email]\nsmtp_url = \"" + smtp.url() + "\"\n";
  if (redis != nullptr)
    out += "[state]\nredis = \"" + test::loopback_address(redis->port()) + "\"\n";
  return out;
}

struct Servers {
  test::RabbitMqServer rabbit;
  test::SmtpServer smtp;
  test::RedisServer redis;
};

std::optional<Servers> start_servers(std::optional<test::RabbitMqTls> tls = std::nullopt) {
  auto rabbit = test::RabbitMqServer::start(std::move(tls));
  EXPECT_TRUE(rabbit.ok()) << rabbit.error().message;
  auto smtp = test::SmtpServer::start();
  EXPECT_TRUE(smtp.ok()) << smtp.error().message;
  test::RedisOptions durable;
  durable.appendonly = true;
  auto redis = test::RedisServer::start(durable);
  EXPECT_TRUE(redis.ok()) << redis.error().message;
  if (!rabbit.ok() || !smtp.ok() || !redis.ok()) return std::nullopt;
  return Servers{std::move(rabbit).value(), std::move(smtp).value(), std::move(redis).value()};
}

// Publishes item `n` of `run` (it concerns ralph) and waits for it as the `mails`-th mail: the
// broker delivers in order, so everything published before it has been handled.
void deliver_last(Servers& s, const PipelineProcess& pipeline, const std::string& run, size_t n,
                  size_t mails) {
  ASSERT_TRUE(test::publish_fedora_messages(s.rabbit.url(), items(run, n, 1, 1)).ok());
  auto last = s.smtp.wait_for_mail(mails, 60s);
  ASSERT_TRUE(last.ok()) << last.error().message << "\n" << pipeline.log_text();
}

// The ids of every mail received, each once, are exactly `expected` and the last item, `n` of
// `run` (see deliver_last).
void expect_exactly(const Servers& s, std::map<std::string, int> expected, const std::string& run,
                    size_t n) {
  expected[item_id(run, n)] = 1;
  auto all = s.smtp.received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(describe(received_ids(*all)), describe(expected));
}

// The queue must exist before anything is published to amq.topic, or the broker drops it: the
// first start declares and binds it, as an operator's first deployment does.
Result<PipelineProcess> start_pipeline(const Servers& s, const std::string& delivery,
                                       const std::string& source_extra = "") {
  auto pipeline = PipelineProcess::start({one_user_prefs(kMentionsMe, delivery),
                                          config(s.rabbit.url(), s.smtp, &s.redis, source_extra)});
  if (!pipeline.ok()) return pipeline;
  auto up = pipeline->wait_metric(
      "fmn_amqp_connected", "", [](double v) { return v == 1; }, 60s);
  if (!up.ok()) return up.error();
  return pipeline;
}

// A pipeline collecting ralph's items into one digest of `digest_count` (they wait in Redis, so
// a crash finds none of them half-sent to the SMTP server, and the digest shows each item it
// carries): started once to declare its queue, stopped, and started again once `backlog` waits.
Result<PipelineProcess> start_with_backlog(const Servers& s, size_t digest_count,
                                           const std::vector<test::FedoraMessage>& backlog,
                                           const std::string& source_extra = "") {
  const std::string digest =
      "{ to = \"email\", every = \"1h\", count = " + std::to_string(digest_count) + " }";
  auto pipeline = start_pipeline(s, digest, source_extra);
  if (!pipeline.ok()) return pipeline;
  if (auto stopped = pipeline->terminate(); !stopped.ok()) return stopped.error();
  if (auto sent = test::publish_fedora_messages(s.rabbit.url(), backlog); !sent.ok()) {
    return sent.error();
  }
  if (auto restarted = pipeline->restart(); !restarted.ok()) return restarted.error();
  return pipeline;
}

TEST(AmqpFaults, TenThousandPublishedWhileDownAreAllProcessedAfterStart) {
  auto s = start_servers();
  ASSERT_TRUE(s);
  auto pipeline = start_pipeline(*s, "{ to = \"email\" }");
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(pipeline->terminate().ok());

  constexpr size_t kCount = 10'000;
  ASSERT_TRUE(test::publish_fedora_messages(s->rabbit.url(), items("a", 1, kCount, 100)).ok());
  ASSERT_TRUE(pipeline->restart().ok());
  auto acked = pipeline->wait_metric(
      "fmn_amqp_acked_total", "", [](double v) { return v == kCount; }, 120s);
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  auto mail = s->smtp.wait_for_mail(kCount / 100, 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  ASSERT_TRUE(pipeline->terminate().ok());
  auto all = s->smtp.received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(describe(received_ids(*all)), describe(ralphs("a", 1, kCount, 100)));
}

TEST(AmqpFaults, KillNineMidStreamLosesAndDuplicatesNothing) {
  auto s = start_servers();
  ASSERT_TRUE(s);
  constexpr size_t kCount = 10'000, kEvery = 100;
  auto pipeline = start_with_backlog(*s, kCount / kEvery, items("k", 1, kCount, kEvery));
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto midway = pipeline->wait_metric(
      "fmn_messages_received_total", "", [](double v) { return v >= 1000; }, 120s);
  ASSERT_TRUE(midway.ok()) << midway.error().message;
  pipeline->kill();
  ASSERT_TRUE(pipeline->restart().ok());
  auto mail = s->smtp.wait_for_mail(1, 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  // The restarted instance took up the stream where the crash left it. (Whether the broker
  // flags any delivery as redelivered depends on whether the crash caught some unacknowledged:
  // the kill may land just after an acknowledgement.)
  EXPECT_GE(pipeline->metric("fmn_amqp_acked_total").value_or(0), 1.0);
  ASSERT_TRUE(pipeline->terminate().ok());
  auto all = s->smtp.received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  EXPECT_EQ(describe(digest_topics(*all)), describe(ralphs("k", 1, kCount, kEvery, true)));
}

// The worst case: 10,000 deliveries unacknowledged at the broker when fmn dies, some of
// them perhaps already in the digest store and the completion log, the rest not yet read. Frozen
// (SIGSTOP) mid-stream, fmn acknowledges nothing more while the broker refills the prefetch
// window from a second batch; the broker's own count says when the window is full.
TEST(AmqpFaults, KillNineWithTenThousandUnacknowledgedDeliversEachOnce) {
  auto s = start_servers();
  ASSERT_TRUE(s);
  constexpr size_t kBatch = 10'000, kEvery = 100;
  auto pipeline = start_with_backlog(*s, 2 * kBatch / kEvery, items("u", 1, kBatch, kEvery),
                                     "amqp_prefetch = 10000\n");
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto midway = pipeline->wait_metric(
      "fmn_amqp_acked_total", "", [](double v) { return v >= 1000; }, 120s);
  ASSERT_TRUE(midway.ok()) << midway.error().message;
  ASSERT_EQ(::kill(pipeline->pid(), SIGSTOP), 0);
  ASSERT_TRUE(
      test::publish_fedora_messages(s->rabbit.url(), items("u", kBatch + 1, kBatch, kEvery)).ok());
  std::string last;  // rabbitmqctl's last answer, for the failure message
  auto unacknowledged = [&]() -> long long {
    auto n = s->rabbit.unacknowledged(kQueue);
    last = n.ok() ? std::to_string(*n) : n.error().message;
    return n.ok() ? static_cast<long long>(*n) : -1;
  };
  ASSERT_TRUE(wait_for_count(unacknowledged, kBatch, 120s)) << last;
  pipeline->kill();

  ASSERT_TRUE(pipeline->restart().ok());
  auto mail = s->smtp.wait_for_mail(1, 180s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  // Every one of the 10,000 comes back flagged as redelivered; nothing else was delivered before.
  EXPECT_EQ(pipeline->metric("fmn_amqp_redelivered_total"), double{kBatch});
  ASSERT_TRUE(pipeline->terminate().ok());
  auto all = s->smtp.received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  EXPECT_EQ(describe(digest_topics(*all)), describe(ralphs("u", 1, 2 * kBatch, kEvery, true)));
}

TEST(AmqpFaults, BrokerRestartMidStreamResumes) {
  auto s = start_servers();
  ASSERT_TRUE(s);
  auto pipeline = start_pipeline(*s, "{ to = \"email\" }");
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(test::publish_fedora_messages(s->rabbit.url(), items("r", 1, 2000, 50)).ok());
  ASSERT_TRUE(s->rabbit.restart().ok()) << s->rabbit.log_text();
  ASSERT_TRUE(test::publish_fedora_messages(s->rabbit.url(), items("r", 2001, 2000, 50)).ok());
  auto mail = s->smtp.wait_for_mail(80, 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message << "\n" << pipeline->log_text();
  auto reconnected = pipeline->wait_metric(
      "fmn_amqp_reconnects_total", "", [](double v) { return v >= 1; }, 60s);
  EXPECT_TRUE(reconnected.ok()) << reconnected.error().message;
  deliver_last(*s, *pipeline, "r", 4001, 81);
  ASSERT_TRUE(pipeline->terminate().ok());
  expect_exactly(*s, ralphs("r", 1, 4000, 50), "r", 4001);
}

TEST(AmqpFaults, PoisonIsRejectedOnceAndTheGoodOnesDelivered) {
  auto s = start_servers();
  ASSERT_TRUE(s);
  auto pipeline = start_pipeline(*s, "{ to = \"email\" }");
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto messages = items("p", 1, 40, 4);
  test::FedoraMessage not_json{item_topic(100), "fm-p-bad-json", "{\"n\": 1, oops", {"ralph"}};
  test::FedoraMessage latin1{item_topic(101), "fm-p-latin1", "{\"n\":2}", {"ralph"}};
  latin1.encoding = "iso-8859-1";
  messages.insert(messages.begin() + 10, not_json);
  messages.insert(messages.begin() + 30, latin1);
  ASSERT_TRUE(test::publish_fedora_messages(s->rabbit.url(), messages).ok());

  auto acked = pipeline->wait_metric(
      "fmn_amqp_acked_total", "", [](double v) { return v == 40; }, 60s);
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  EXPECT_EQ(pipeline->metric("fmn_amqp_rejected_total"), 2.0);
  auto mail = s->smtp.wait_for_mail(10, 60s);
  ASSERT_TRUE(mail.ok()) << mail.error().message;

  // Rejected for good: after a restart nothing comes back but a last good message.
  ASSERT_TRUE(pipeline->terminate().ok());
  ASSERT_TRUE(pipeline->restart().ok());
  auto consuming = pipeline->wait_metric(
      "fmn_amqp_connected", "", [](double v) { return v == 1; }, 60s);
  ASSERT_TRUE(consuming.ok()) << consuming.error().message;
  deliver_last(*s, *pipeline, "p", 41, 11);
  // Anything redelivered would come before the last message, and be settled before it.
  auto settled = pipeline->wait_metric(
      "fmn_amqp_acked_total", "", [](double v) { return v == 1; }, 60s);
  EXPECT_TRUE(settled.ok()) << settled.error().message;
  EXPECT_EQ(pipeline->metric("fmn_amqp_rejected_total"), 0.0);
  ASSERT_TRUE(pipeline->terminate().ok());
  expect_exactly(*s, ralphs("p", 1, 40, 4), "p", 41);
}

// Redis away while the stream goes on: the outbox cannot take the notifications, so they wait and
// their messages stay unacknowledged (delivering them from memory and acknowledging would lose
// them in a crash). Three outages: Redis back in the same run, a stop (SIGTERM) and a crash
// (kill -9) while it is away. Each time, every notification arrives exactly once.
TEST(AmqpFaults, RedisAwayLeavesTheStreamUnacknowledgedAndEachArrivesOnceWhenItIsBack) {
  auto s = start_servers();
  ASSERT_TRUE(s);
  auto pipeline = start_pipeline(*s, "{ to = \"email\" }");
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  deliver_last(*s, *pipeline, "h", 1, 1);
  size_t mails = 1;
  std::map<std::string, int> expected{{item_id("h", 1), 1}};

  // 100 messages, every 10th for ralph, published while Redis is away; fmn reads them all and
  // tries the outbox at least twice. Only messages before the first for ralph (at most 9)
  // may be acknowledged meanwhile, and no mail goes out.
  auto outage = [&](size_t first) {
    const double acked = pipeline->metric("fmn_amqp_acked_total").value_or(-1);
    const double received = pipeline->metric("fmn_messages_received_total").value_or(-1);
    const double errors =
        pipeline->metric("fmn_outbox_errors_total", "sink=\"email\"").value_or(-1);
    ASSERT_TRUE(s->redis.stop().ok());
    ASSERT_TRUE(test::publish_fedora_messages(s->rabbit.url(), items("h", first, 100, 10)).ok());
    auto read = pipeline->wait_metric(
        "fmn_messages_received_total", "", [&](double v) { return v == received + 100; }, 60s);
    ASSERT_TRUE(read.ok()) << read.error().message;
    auto retried = pipeline->wait_metric(
        "fmn_outbox_errors_total", "sink=\"email\"", [&](double v) { return v >= errors + 2; },
        60s);
    ASSERT_TRUE(retried.ok()) << retried.error().message;
    EXPECT_LE(pipeline->metric("fmn_amqp_acked_total").value_or(-1), acked + 9);
    auto got = s->smtp.received();
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->size(), mails);
    expected.merge(ralphs("h", first, 100, 10));
    mails += 10;
  };

  // Back in the same run: the held batches are written and delivered, no restart needed.
  outage(2);
  ASSERT_TRUE(s->redis.restart().ok());
  deliver_last(*s, *pipeline, "h", 102, ++mails);
  expected[item_id("h", 102)] = 1;

  // A stop while Redis is away ends at once, and acknowledges none of the held messages.
  outage(103);
  ASSERT_TRUE(pipeline->terminate().ok());
  EXPECT_NE(pipeline->log_text().find("outbox_unwritten"), std::string::npos)
      << pipeline->log_text();
  ASSERT_TRUE(s->redis.restart().ok());
  ASSERT_TRUE(pipeline->restart().ok());
  deliver_last(*s, *pipeline, "h", 203, ++mails);
  expected[item_id("h", 203)] = 1;

  // A crash while Redis is away.
  outage(204);
  pipeline->kill();
  ASSERT_TRUE(s->redis.restart().ok());
  ASSERT_TRUE(pipeline->restart().ok());
  deliver_last(*s, *pipeline, "h", 304, ++mails);
  ASSERT_TRUE(pipeline->terminate().ok());
  expect_exactly(*s, expected, "h", 304);
}

// fmn-replay --amqp publishes a recorded fedmsg corpus as fedora-messaging messages; fmn consumes
// all of it from a quorum queue and the rule matches the same messages it matches on the recorded
// envelopes.
TEST(AmqpReplay, CorpusPublishedByFmnReplayIsMatchedAsRecorded) {
  auto s = start_servers();
  ASSERT_TRUE(s);
  // On a quorum queue, which fmn declares with its type.
  std::string quorum =
      config(s->rabbit.url(), s->smtp, &s->redis, "amqp_queue_type = \"quorum\"\n");
  auto pipeline =
      PipelineProcess::start({one_user_prefs(kWatchedRule, "{ to = \"email\" }"), quorum});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  ASSERT_TRUE(pipeline
                  ->wait_metric(
                      "fmn_amqp_connected", "", [](double v) { return v == 1; }, 60s)
                  .ok());
  auto slice = corpus_slice(300);
  const size_t expected = matched_ids(slice, kWatchedRule, "ralph").size();
  ASSERT_GT(expected, 10u);
  auto dir = test::TempDir::create("amqp-replay");
  ASSERT_TRUE(dir.ok());
  {
    std::ofstream corpus(dir.value() / "slice.jsonl");
    for (const test::BusMessage& m : slice) corpus << m.json << "\n";
  }
  auto replayed = test::ChildProcess::run(
      {.argv = {std::string(FMN_BIN_DIR) + "/fmn-replay", (dir.value() / "slice.jsonl").string(),
                "--amqp", s->rabbit.url()},
       .log = dir.value() / "replay.log"},
      120s);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  auto acked = pipeline->wait_metric(
      "fmn_amqp_acked_total", "", [&](double v) { return v == slice.size(); }, 120s);
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  auto mail = s->smtp.wait_for_mail(expected, 120s);
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  ASSERT_TRUE(pipeline->terminate().ok());
  auto all = s->smtp.received();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), expected);
  for (const auto& [id, n] : received_ids(*all)) EXPECT_EQ(n, 1) << id;
}

// The broker's CA, its certificate for "localhost", and the client certificate fmn presents.
struct Tls {
  test::TestCa ca;
  test::TestCa::Issued broker, client;
  test::RabbitMqTls server() const { return {ca.ca_certificate(), broker.certificate, broker.key}; }
};

std::optional<Tls> make_tls(const std::string& name) {
  auto ca = test::TestCa::create(name);
  EXPECT_TRUE(ca.ok()) << ca.error().message;
  if (!ca.ok()) return std::nullopt;
  auto broker = ca->issue_tls("broker", "localhost");
  auto client = ca->issue_tls("fmn", "");
  EXPECT_TRUE(broker.ok() && client.ok());
  if (!broker.ok() || !client.ok()) return std::nullopt;
  return Tls{std::move(ca).value(), std::move(broker).value(), std::move(client).value()};
}

// [source] settings: trust `ca`, present the client certificate of `tls`.
std::string tls_settings(const std::filesystem::path& ca, const Tls& tls) {
  return "amqp_ca_cert = \"" + ca.string() + "\"\namqp_cert = \"" +
         tls.client.certificate.string() + "\"\namqp_key = \"" + tls.client.key.string() + "\"\n";
}

TEST(AmqpTls, ConsumesOverAmqpsVerifyingTheBrokerAndPresentingAClientCertificate) {
  auto tls = make_tls("amqps");
  ASSERT_TRUE(tls);
  auto s = start_servers(tls->server());
  ASSERT_TRUE(s);
  const std::string url = s->rabbit.amqps_url("localhost");
  auto pipeline = PipelineProcess::start(
      {one_user_prefs(kMentionsMe, "{ to = \"email\" }"),
       config(url, s->smtp, &s->redis, tls_settings(tls->ca.ca_certificate(), *tls))});
  ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
  auto up = pipeline->wait_metric(
      "fmn_amqp_connected", "", [](double v) { return v == 1; }, 60s);
  ASSERT_TRUE(up.ok()) << up.error().message;
  ASSERT_TRUE(test::publish_fedora_messages(s->rabbit.url(), items("t", 1, 200, 10)).ok());
  auto acked = pipeline->wait_metric(
      "fmn_amqp_acked_total", "", [](double v) { return v == 200; }, 60s);
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  deliver_last(*s, *pipeline, "t", 201, 21);
  ASSERT_TRUE(pipeline->terminate().ok());
  expect_exactly(*s, ralphs("t", 1, 200, 10), "t", 201);
  // The URL's credentials (guest:guest) appear nowhere in what fmn logged.
  EXPECT_EQ(pipeline->log_text().find("guest"), std::string::npos) << pipeline->log_text();
}

// Waits until the log of `pipeline` holds `text`.
bool logged(const PipelineProcess& pipeline, const std::string& text) {
  return wait_for_count(
      [&] { return pipeline.log_text().find(text) == std::string::npos ? 0LL : 1LL; }, 1, 60s);
}

TEST(AmqpTls, AnUnknownCaOrACertificateForAnotherHostIsRefusedWithAClearError) {
  auto tls = make_tls("amqps-refused");
  auto stranger = test::TestCa::create("amqps-stranger");
  ASSERT_TRUE(tls && stranger.ok());
  auto s = start_servers(tls->server());
  ASSERT_TRUE(s);
  constexpr const char* kPassword = "s3cret-amqp-pw";
  auto with_password = [&](std::string url) {
    return url.replace(url.find("guest:guest"), 11, std::string("guest:") + kPassword);
  };
  struct Case {
    std::string url, ca, error;
  };
  for (const Case& c : {
           Case{with_password(s->rabbit.amqps_url("localhost")),
                stranger->ca_certificate().string(),
                "TLS: the broker's certificate does not chain to the CA certificate"},
           Case{with_password(s->rabbit.amqps_url("127.0.0.1")), tls->ca.ca_certificate().string(),
                "TLS: the broker's certificate is not for the host name 127.0.0.1"},
       }) {
    auto pipeline =
        PipelineProcess::start({one_user_prefs(kMentionsMe, "{ to = \"email\" }"),
                                config(c.url, s->smtp, &s->redis, tls_settings(c.ca, *tls))});
    ASSERT_TRUE(pipeline.ok()) << pipeline.error().message;
    EXPECT_TRUE(logged(*pipeline, c.error)) << pipeline->log_text();
    EXPECT_EQ(pipeline->metric("fmn_amqp_connected"), 0.0);
    ASSERT_TRUE(pipeline->terminate().ok());
    const std::string log = pipeline->log_text();
    EXPECT_EQ(log.find(kPassword), std::string::npos) << log;
    EXPECT_EQ(log.find("guest"), std::string::npos) << log;
  }
}

}  // namespace
}  // namespace fmn::faults
