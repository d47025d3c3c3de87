#include "sinks/email_sink.h"

#include <gtest/gtest.h>

#include <deque>

#include "tests/sinks/notification_fixture.h"
#include "tests/support/fake_clock.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;
using testing::make_notification;
using testing::MessageSpec;

// Records every attempt; answers with scripted results, then success.
class ScriptedTransport : public SmtpTransport {
 public:
  SendResult send(const OutgoingEmail& email) override {
    attempts.push_back(email);
    if (script.empty()) return {};
    SendResult r = script.front();
    script.pop_front();
    return r;
  }
  std::deque<SendResult> script;
  std::vector<OutgoingEmail> attempts;
};

struct Harness {
  explicit Harness(EmailSinkConfig config = {}) {
    auto t = std::make_unique<ScriptedTransport>();
    transport = t.get();
    config.render.base_url = "https://notifications.example.org";
    config.render.unsubscribe_secret = "k";
    config.backoff.jitter = 0;  // exact delays
    sink = std::make_unique<EmailSink>(std::move(t), config, TemplateSet::builtin(), clock,
                                       [this](const DeliveryFailure& f) { failures.push_back(f); });
  }
  FakeClock clock;
  ScriptedTransport* transport;
  std::vector<DeliveryFailure> failures;
  std::unique_ptr<EmailSink> sink;
};

std::string header_value(const std::string& data, const std::string& name) {
  const size_t at = data.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<absent>";
  const size_t start = at + name.size() + 4;
  return data.substr(start, data.find("\r\n", start) - start);
}

std::string headers_of(const std::string& data) { return data.substr(0, data.find("\r\n\r\n")); }

TEST(EmailSink, SendsOneEmailWithTheExpectedHeaders) {
  Harness h;
  const Notification n = make_notification();
  h.sink->deliver({&n, 1});
  ASSERT_EQ(h.transport->attempts.size(), 1u);
  const OutgoingEmail& mail = h.transport->attempts[0];
  EXPECT_EQ(mail.from, "notifications@fedoraproject.org");
  EXPECT_EQ(mail.to, "bowlofeggs@example.org");
  const std::string& d = mail.data;
  EXPECT_EQ(d.rfind("From: Fedora Notifications <notifications@fedoraproject.org>\r\n", 0), 0u);
  EXPECT_EQ(header_value(d, "To"), "<bowlofeggs@example.org>");
  EXPECT_EQ(header_value(d, "Subject"),
            "ralph commented on bodhi update python-requests-2.31.0-1.fc40");
  EXPECT_EQ(header_value(d, "Date"), "Wed, 01 May 2024 12:00:00 +0000");
  EXPECT_EQ(header_value(d, "Message-ID"), "<" + mail.message_id + ">");
  EXPECT_EQ(header_value(d, "X-Fedmsg-Topic"), "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_EQ(header_value(d, "X-Fedmsg-Category"), "bodhi");
  EXPECT_EQ(header_value(d, "X-Fedmsg-Id"), "2024-0f3c5a1e-1111-2222-3333-444455556666");
  EXPECT_EQ(header_value(d, "X-Fedmsg-Package"), "python-requests");
  EXPECT_EQ(header_value(d, "X-Fedmsg-Num-Packages"), "1");
  EXPECT_NE(d.find("X-Fedmsg-Username: bowlofeggs\r\nX-Fedmsg-Username: ralph\r\n"),
            std::string::npos);
  EXPECT_EQ(header_value(d, "List-Id"), "<notifications.fedoraproject.org>");
  EXPECT_EQ(header_value(d, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  EXPECT_EQ(header_value(d, "List-Unsubscribe")
                .rfind("<https://notifications.example.org/unsubscribe?", 0),
            0u);
  EXPECT_EQ(header_value(d, "Precedence"), "bulk");
  EXPECT_EQ(header_value(d, "Auto-Submitted"), "auto-generated");
  EXPECT_NE(d.find("Content-Type: multipart/alternative"), std::string::npos);
  EXPECT_NE(d.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
  EXPECT_EQ(h.sink->counters().delivered.load(), 1u);
}

TEST(EmailSink, MessageIdIsStableAndDistinctPerRecipient) {
  Harness h;
  Notification a = make_notification();
  Notification b = make_notification({}, DestinationKind::kEmail, "other@example.org");
  h.sink->deliver({&a, 1});
  h.sink->deliver({&a, 1});
  h.sink->deliver({&b, 1});
  ASSERT_EQ(h.transport->attempts.size(), 3u);
  EXPECT_EQ(h.transport->attempts[0].message_id, h.transport->attempts[1].message_id);
  EXPECT_NE(h.transport->attempts[0].message_id, h.transport->attempts[2].message_id);
}

TEST(EmailSink, HostileFieldsNeverReachAHeaderRaw) {
  MessageSpec spec;
  spec.subtitle = "hi\r\nBcc: victim@example.org\r\n\r\nfake body" + std::string(10'000, 'x');
  spec.topic = "org.fedoraproject.prod.x\r\nX-Injected: 1";
  spec.category = "bodhi\nX-Injected: 2";
  spec.usernames = {"a\r\nX-Injected: 3"};
  spec.packages = {"p\xe2\x80\xa8X-Injected: 4"};
  Harness h;
  const Notification n = make_notification(spec);
  h.sink->deliver({&n, 1});
  ASSERT_EQ(h.transport->attempts.size(), 1u);
  const std::string headers = headers_of(h.transport->attempts[0].data);
  size_t start = 0;
  while (start < headers.size()) {  // every header line starts with a name or is a fold
    size_t end = headers.find("\r\n", start);
    if (end == std::string::npos) end = headers.size();
    const std::string line = headers.substr(start, end - start);
    EXPECT_LE(line.size(), 998u);
    EXPECT_TRUE(line.starts_with(" ") || line.find(": ") != std::string::npos) << line;
    EXPECT_FALSE(line.starts_with("X-Injected")) << line;
    EXPECT_FALSE(line.starts_with("Bcc")) << line;
    start = end + 2;
  }
  EXPECT_EQ(headers.find('\n'), headers.find("\r\n") + 1);  // no bare LF
  EXPECT_EQ(headers.find("\xe2\x80\xa8"), std::string::npos);
  EXPECT_LT(header_value(headers + "\r\n", "Subject").size(), 400u);
}

TEST(EmailSink, NonAsciiHeaderValuesAreEncodedWords) {
  MessageSpec spec;
  spec.usernames = {"zbyn\xc4\x9bk", "ralph"};
  spec.packages = {
      "p\xc3\xa1"
      "ckage"};
  spec.category =
      "b\xc3\xb6"
      "dhi";
  Harness h;
  const Notification n = make_notification(spec);
  h.sink->deliver({&n, 1});
  ASSERT_EQ(h.transport->attempts.size(), 1u);
  const std::string headers = headers_of(h.transport->attempts[0].data);
  for (char c : headers) EXPECT_LT(static_cast<unsigned char>(c), 0x80u) << headers;
  EXPECT_NE(headers.find("\r\nX-Fedmsg-Username: =?UTF-8?B?emJ5bsSbaw==?=\r\n"), std::string::npos)
      << headers;
  EXPECT_NE(headers.find("\r\nX-Fedmsg-Username: ralph\r\n"), std::string::npos) << headers;
  EXPECT_EQ(header_value(headers, "X-Fedmsg-Package"), "=?UTF-8?B?cMOhY2thZ2U=?=");
  EXPECT_EQ(header_value(headers, "X-Fedmsg-Category"), "=?UTF-8?B?YsO2ZGhp?=");
}

TEST(EmailSink, InvalidAddressIsRejectedWithoutSending) {
  Harness h;
  const Notification n =
      make_notification({}, DestinationKind::kEmail, "a@example.org>\r\nRCPT TO:<b@example.org");
  h.sink->deliver({&n, 1});
  EXPECT_TRUE(h.transport->attempts.empty());
  EXPECT_EQ(h.sink->counters().rejected.load(), 1u);
  ASSERT_EQ(h.failures.size(), 1u);
  EXPECT_FALSE(h.failures[0].permanent);
}

TEST(EmailSink, TemporaryFailuresAreRetriedWithBackoffInOrder) {
  Harness h;
  h.transport->script = {{SendStatus::kTemporary, 421, "busy"},
                         {SendStatus::kTemporary, 0, "connection refused"}};
  MessageSpec first, second;
  second.msg_id = "2024-second";
  const Notification a = make_notification(first), b = make_notification(second);
  h.sink->deliver({&a, 1});  // fails: retry in 1 s
  h.sink->deliver({&b, 1});  // queued behind
  EXPECT_EQ(h.transport->attempts.size(), 1u);
  h.clock.advance(999ms);
  h.sink->tick();
  EXPECT_EQ(h.transport->attempts.size(), 1u);
  h.clock.advance(1ms);
  h.sink->tick();  // second attempt fails: retry in 2 s
  EXPECT_EQ(h.transport->attempts.size(), 2u);
  h.clock.advance(1999ms);
  h.sink->tick();
  EXPECT_EQ(h.transport->attempts.size(), 2u);
  h.clock.advance(1ms);
  h.sink->tick();  // both go
  ASSERT_EQ(h.transport->attempts.size(), 4u);
  EXPECT_NE(h.transport->attempts[2].data.find("2024-0f3c5a1e"), std::string::npos);
  EXPECT_NE(h.transport->attempts[3].data.find("2024-second"), std::string::npos);
  EXPECT_EQ(h.sink->counters().retried.load(), 2u);
  EXPECT_EQ(h.sink->counters().delivered.load(), 2u);
  EXPECT_EQ(h.sink->queued(), 0u);
}

TEST(EmailSink, AnEmailWaitingForARetryIsSettledOnlyOnceSentAndReportedAtStop) {
  Harness h;
  h.transport->script = {{SendStatus::kTemporary, 421, "try later"}};
  int settled = 0;
  std::vector<NotificationSettled> callbacks{[&] { ++settled; }};
  const Notification n = make_notification();
  h.sink->deliver_confirmed({&n, 1}, callbacks);
  EXPECT_EQ(settled, 0);
  EXPECT_EQ(h.sink->drain(0ms), 1u);  // stopping now would leave it: reported, not settled
  EXPECT_EQ(settled, 0);
  h.clock.advance(1h);
  h.sink->tick();
  EXPECT_EQ(settled, 1);
  EXPECT_EQ(h.sink->drain(0ms), 0u);
}

TEST(EmailSink, PermanentFailureIsRecordedNotRetried) {
  Harness h;
  h.transport->script = {{SendStatus::kPermanent, 550, "no such user"}};
  const Notification n = make_notification();
  h.sink->deliver({&n, 1});
  h.clock.advance(1h);
  h.sink->tick();
  EXPECT_EQ(h.transport->attempts.size(), 1u);
  EXPECT_EQ(h.sink->counters().failed.load(), 1u);
  ASSERT_EQ(h.failures.size(), 1u);
  EXPECT_TRUE(h.failures[0].permanent);
  EXPECT_EQ(h.failures[0].address, "bowlofeggs@example.org");
  EXPECT_NE(h.failures[0].detail.find("550"), std::string::npos);
}

TEST(EmailSink, GivesUpAfterMaxAttempts) {
  EmailSinkConfig config;
  config.backoff.max_attempts = 3;
  Harness h(config);
  for (int i = 0; i < 5; ++i) h.transport->script.push_back({SendStatus::kTemporary, 451, "x"});
  const Notification n = make_notification();
  h.sink->deliver({&n, 1});
  for (int i = 0; i < 10; ++i) {
    h.clock.advance(10min);
    h.sink->tick();
  }
  EXPECT_EQ(h.transport->attempts.size(), 3u);
  EXPECT_EQ(h.sink->counters().failed.load(), 1u);
  ASSERT_EQ(h.failures.size(), 1u);
  EXPECT_FALSE(h.failures[0].permanent);
}

TEST(EmailSink, FullRetryQueueDropsTheOldest) {
  EmailSinkConfig config;
  config.max_queued = 2;
  Harness h(config);
  for (int i = 0; i < 10; ++i) h.transport->script.push_back({SendStatus::kTemporary, 0, "down"});
  const Notification n = make_notification();
  for (int i = 0; i < 3; ++i) h.sink->deliver({&n, 1});
  EXPECT_EQ(h.sink->queued(), 2u);
  EXPECT_EQ(h.sink->counters().dropped.load(), 1u);
}

TEST(EmailSink, DigestIsOneEmailListingEveryItem) {
  Harness h;
  Digest digest;
  for (int i = 0; i < 3; ++i) {
    MessageSpec spec;
    spec.msg_id = "2024-item-" + std::to_string(i);
    spec.subtitle = "item " + std::to_string(i);
    spec.link = "https://example.org/" + std::to_string(i);
    digest.items.push_back(make_notification(spec));
  }
  int settled = 0;
  std::vector<NotificationSettled> each(3, [&] { ++settled; });
  h.sink->deliver_digest(digest, each);
  EXPECT_EQ(settled, 3);  // each item, once the one email was sent
  ASSERT_EQ(h.transport->attempts.size(), 1u);
  const std::string& d = h.transport->attempts[0].data;
  EXPECT_EQ(header_value(d, "Subject"), "3 Fedora notifications");
  EXPECT_EQ(header_value(d, "X-Fedmsg-Digest-Count"), "3");
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(d.find("https://example.org/" + std::to_string(i)), std::string::npos);
  }
}

TEST(EmailSink, ADigestIsSettledOnlyOnceSentOrGivenUp) {
  EmailSinkConfig config;
  config.backoff.max_attempts = 2;
  Harness h(config);
  Digest digest;
  digest.items.push_back(make_notification());
  int sent = 0, given_up = 0;
  h.transport->script = {{SendStatus::kTemporary, 421, "busy"}};
  std::vector<NotificationSettled> first(1, [&] { ++sent; });
  h.sink->deliver_digest(digest, first);
  EXPECT_EQ(sent, 0);  // waiting for its retry
  h.clock.advance(1h);
  h.sink->tick();
  EXPECT_EQ(sent, 1);

  h.transport->script = {{SendStatus::kTemporary, 421, "busy"},
                         {SendStatus::kTemporary, 421, "busy"}};
  std::vector<NotificationSettled> second(1, [&](std::string_view failure) {
    if (!failure.empty()) ++given_up;
  });
  h.sink->deliver_digest(digest, second);
  EXPECT_EQ(given_up, 0);
  h.clock.advance(1h);
  h.sink->tick();
  EXPECT_EQ(given_up, 1);
  EXPECT_EQ(h.sink->counters().failed.load(), 1u);
  EXPECT_EQ(sent, 1);
}

TEST(EmailComposer, ValidatesItsConfiguration) {
  EmailConfig c;
  EXPECT_TRUE(EmailComposer(c).validate().ok());
  c.from_name = "Evil <x@y>";
  EXPECT_FALSE(EmailComposer(c).validate().ok());
  c = {};
  c.from_address = "not an address";
  EXPECT_FALSE(EmailComposer(c).validate().ok());
}

}  // namespace
}  // namespace fmn::sinks
