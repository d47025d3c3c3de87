// The email sink against a real SMTP server (aiosmtpd recorder from tests/support): the server
// receives exactly the expected emails, with their headers, digests grouped per user.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "sinks/curl_smtp_transport.h"
#include "sinks/digest_batcher.h"
#include "sinks/email_sink.h"
#include "sinks/memory_digest_store.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/support/fake_clock.h"
#include "tests/support/smtp_server.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using test::SmtpMode;
using test::SmtpServer;
using testing::make_notification;
using testing::MessageSpec;

std::unique_ptr<SmtpTransport> transport_to(const SmtpServer& smtp) {
  SmtpConfig config;
  config.url = smtp.url();
  auto t = CurlSmtpTransport::create(config);
  if (!t) std::abort();
  return std::move(t.value());
}

std::string header_value(const std::string& data, const std::string& name) {
  const std::string headers = "\r\n" + data.substr(0, data.find("\r\n\r\n")) + "\r\n";
  const size_t at = headers.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<absent>";
  const size_t start = at + name.size() + 4;
  return headers.substr(start, headers.find("\r\n", start) - start);
}

Notification numbered(int i, std::string user, std::string address) {
  MessageSpec spec;
  spec.msg_id = "2024-item-" + std::to_string(i);
  spec.subtitle = "build " + std::to_string(i) + " of python-requests failed";
  spec.link = "https://koji.fedoraproject.org/koji/taskinfo?taskID=" + std::to_string(i);
  Notification n = make_notification(spec, DestinationKind::kEmail, address);
  n.set_names(user, n.rule_name(), n.address());
  return n;
}

TEST(EmailSinkSmtp, ServerReceivesTheExpectedEmails) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  std::printf("SMTP server at %s\n", smtp->url().c_str());
  EmailSinkConfig config;
  config.render.unsubscribe_secret = "k";
  EmailSink sink(transport_to(*smtp), config);

  MessageSpec hostile;
  hostile.msg_id = "2024-hostile";
  hostile.subtitle = "caf\xc3\xa9 \r\nBcc: victim@example.org\r\n<b>" + std::string(10'000, 'x');
  hostile.usernames = {"eve\r\nX-Injected: yes"};
  const std::vector<Notification> batch = {
      numbered(1, "alice", "alice@example.org"),
      make_notification(hostile, DestinationKind::kEmail, "bob@example.org")};
  sink.deliver(batch);
  auto mail = smtp->wait_for_mail(2, 30s);
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  ASSERT_EQ(mail->size(), 2u);
  const test::ReceivedMail& first = (*mail)[0];
  EXPECT_EQ(first.mail_from, "notifications@fedoraproject.org");
  EXPECT_EQ(first.rcpt_to, std::vector<std::string>{"alice@example.org"});
  EXPECT_EQ(header_value(first.data, "Subject"), "build 1 of python-requests failed");
  EXPECT_EQ(header_value(first.data, "X-Fedmsg-Topic"),
            "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_EQ(header_value(first.data, "X-Fedmsg-Category"), "bodhi");
  EXPECT_EQ(header_value(first.data, "X-Fedmsg-Id"), "2024-item-1");
  EXPECT_EQ(header_value(first.data, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  EXPECT_NE(header_value(first.data, "Message-ID"), "<absent>");
  EXPECT_NE(header_value(first.data, "Date"), "<absent>");

  const test::ReceivedMail& second = (*mail)[1];
  EXPECT_EQ(second.rcpt_to, std::vector<std::string>{"bob@example.org"});
  EXPECT_EQ(header_value(second.data, "Bcc"), "<absent>");
  EXPECT_EQ(header_value(second.data, "X-Injected"), "<absent>");
  EXPECT_EQ(header_value(second.data, "Subject").rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(sink.counters().delivered.load(), 2u);
}

TEST(EmailSinkSmtp, DigestsAreGroupedPerUser) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  EmailSink sink(transport_to(*smtp), {});
  MemoryDigestStore store;
  DigestBatcher batcher(sink, store);
  std::vector<Notification> batch;
  for (int i = 0; i < 3; ++i) {
    batch.push_back(numbered(i, "alice", "alice@example.org"));
    batch.push_back(numbered(10 + i, "bob", "bob@example.org"));
  }
  for (Notification& n : batch) n.digest = DigestPolicy{0s, 3};
  batcher.deliver(batch);
  auto mail = smtp->wait_for_mail(2, 30s);
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  ASSERT_EQ(mail->size(), 2u);
  for (const test::ReceivedMail& m : *mail) {
    ASSERT_EQ(m.rcpt_to.size(), 1u);
    const bool alice = m.rcpt_to[0] == "alice@example.org";
    EXPECT_EQ(header_value(m.data, "Subject"), "3 Fedora notifications");
    EXPECT_EQ(header_value(m.data, "X-Fedmsg-Digest-Count"), "3");
    for (int i = 0; i < 3; ++i) {
      const std::string mine = "build " + std::to_string(alice ? i : 10 + i) + " of";
      const std::string theirs = "build " + std::to_string(alice ? 10 + i : i) + " of";
      EXPECT_NE(m.data.find(mine), std::string::npos) << mine;
      EXPECT_EQ(m.data.find(theirs), std::string::npos) << theirs;
    }
  }
}

TEST(EmailSinkSmtp, PermanentRejectionIsRecordedAndNotRetried) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  ASSERT_TRUE(smtp->set_mode(SmtpMode::kRejectPermanent).ok());
  test::FakeClock clock;
  std::vector<DeliveryFailure> failures;
  EmailSink sink(transport_to(*smtp), {}, TemplateSet::builtin(), clock,
                 [&](const DeliveryFailure& f) { failures.push_back(f); });
  const Notification n = numbered(1, "alice", "alice@example.org");
  sink.deliver({&n, 1});
  clock.advance(1h);
  sink.tick();
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_TRUE(failures[0].permanent) << failures[0].detail;
  EXPECT_NE(failures[0].detail.find("550"), std::string::npos) << failures[0].detail;
  EXPECT_EQ(sink.counters().failed.load(), 1u);
  EXPECT_EQ(sink.counters().retried.load(), 0u);
}

TEST(EmailSinkSmtp, TransientFailureIsRetriedUntilDelivered) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  ASSERT_TRUE(smtp->set_mode(SmtpMode::kRejectTransient).ok());
  test::FakeClock clock;
  EmailSink sink(transport_to(*smtp), {}, TemplateSet::builtin(), clock);
  const Notification n = numbered(1, "alice", "alice@example.org");
  sink.deliver({&n, 1});
  EXPECT_EQ(sink.counters().retried.load(), 1u);
  EXPECT_EQ(sink.queued(), 1u);
  ASSERT_TRUE(smtp->set_mode(SmtpMode::kAccept).ok());
  clock.advance(5min);
  sink.tick();
  auto mail = smtp->wait_for_mail(1, 30s);
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  EXPECT_EQ(mail->size(), 1u);
  EXPECT_EQ(sink.counters().delivered.load(), 1u);
  EXPECT_EQ(sink.queued(), 0u);
}

// A figure, not an assertion: emails per second through one reused connection.
TEST(EmailSinkSmtp, ThroughputWithConnectionReuse) {
  auto smtp = SmtpServer::start();
  ASSERT_TRUE(smtp.ok()) << smtp.error().message;
  EmailSink sink(transport_to(*smtp), {});
  constexpr int kEmails = 500;
  std::vector<Notification> batch;
  for (int i = 0; i < kEmails; ++i) batch.push_back(numbered(i, "alice", "alice@example.org"));
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  sink.deliver(batch);
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(sink.counters().delivered.load(), static_cast<uint64_t>(kEmails));
  // When fmn's own CPU time is a small part of the wall time, the SMTP server is the bound.
  std::printf(
      "SMTP delivery: %d emails in %.3f s = %.0f emails/s (one connection); fmn CPU %.3f s\n",
      kEmails, seconds, kEmails / seconds, cpu);
  auto mail = smtp->wait_for_mail(kEmails, 60s);
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  EXPECT_EQ(mail->size(), static_cast<size_t>(kEmails));
}

}  // namespace
}  // namespace fmn::sinks
