// The webhook sink's decisions, with a scripted transport: what is retried, refused, rejected,
// and that one receiver's outage delays no other. tests/integration/sinks_webhook_test.cpp
// covers the wire against a real HTTP server.
#include "sinks/webhook_sink.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <map>

#include "sinks/webhook_signature.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/support/fake_clock.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using testing::make_notification;

constexpr char kUp[] = "https://up.example.org/hook";
constexpr char kDown[] = "https://down.example.org/hook";

// Answers each URL with its scripted statuses (then 200), recording every request.
class ScriptedTransport : public WebhookTransport {
 public:
  struct Request {
    std::string url, body;
    std::vector<std::string> headers;
  };
  HttpReply post(const std::string& url, const std::vector<std::string>& headers,
                 std::string_view body) override {
    requests->push_back({url, std::string(body), headers});
    HttpReply reply{200};
    if (auto it = script->find(url); it != script->end() && !it->second.empty()) {
      reply.status = it->second.front();
      it->second.pop_front();
    }
    return reply;
  }
  std::shared_ptr<std::vector<Request>> requests = std::make_shared<std::vector<Request>>();
  std::shared_ptr<std::map<std::string, std::deque<int>>> script =
      std::make_shared<std::map<std::string, std::deque<int>>>();
};

class WebhookSinkUnitTest : public ::testing::Test {
 protected:
  WebhookSinkUnitTest() {
    auto transport = std::make_unique<ScriptedTransport>();
    requests_ = transport->requests;
    script_ = transport->script;
    WebhookSinkConfig config;
    config.backoff.initial = 1s;
    config.backoff.jitter = 0;
    config.backoff.max_attempts = 3;
    sink_ = std::make_unique<WebhookSink>(
        std::move(transport),
        [](std::string_view url) {
          return url == kUp || url == kDown ? "secret-" + std::string(url) : std::string();
        },
        config, clock_, [this](const DeliveryFailure& f) { failures_.push_back(f); });
  }

  Notification to(std::string url, std::string msg_id = "m1") {
    testing::MessageSpec spec;
    spec.msg_id = std::move(msg_id);
    return make_notification(spec, DestinationKind::kWebhook, std::move(url));
  }

  test::FakeClock clock_;
  std::shared_ptr<std::vector<ScriptedTransport::Request>> requests_;
  std::shared_ptr<std::map<std::string, std::deque<int>>> script_;
  std::vector<DeliveryFailure> failures_;
  std::unique_ptr<WebhookSink> sink_;
};

std::string header(const std::vector<std::string>& headers, std::string_view name) {
  for (const std::string& h : headers) {
    if (h.starts_with(name) && h.size() > name.size() + 1 && h[name.size()] == ':') {
      return h.substr(name.size() + 2);
    }
  }
  return "<absent>";
}

TEST_F(WebhookSinkUnitTest, SignsTheTimestampAndBodyWithTheDestinationsSecret) {
  sink_->deliver(std::vector<Notification>{to(kUp)});
  ASSERT_EQ(requests_->size(), 1u);
  const auto& r = requests_->front();
  EXPECT_EQ(header(r.headers, "X-Fmn-Event"), "notification");
  const std::string stamp = header(r.headers, "X-Fmn-Timestamp");
  EXPECT_EQ(header(r.headers, "X-Fmn-Signature"),
            webhook_signature(std::string("secret-") + kUp, std::stoll(stamp), r.body));
  EXPECT_EQ(sink_->counters().delivered.load(), 1u);
}

// A message naming thousands of people would make a body of megabytes: the receiver gets the
// event cut short, as a feed would, with a link to the whole message, signed like any other.
TEST_F(WebhookSinkUnitTest, AnEventOverTheLimitIsPostedCutShortWithALinkToTheWholeMessage) {
  testing::MessageSpec spec;
  spec.usernames.assign(100'000, "someone-with-a-name");
  sink_->deliver(
      std::vector<Notification>{make_notification(spec, DestinationKind::kWebhook, kUp)});
  ASSERT_EQ(requests_->size(), 1u);
  const auto& r = requests_->front();
  EXPECT_LE(r.body.size(), WebhookSinkConfig{}.max_event_bytes);
  EXPECT_NE(r.body.find("\"truncated\":true"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"full_message\":\"https://"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("someone-with-a-name"), std::string::npos);
  EXPECT_EQ(header(r.headers, "X-Fmn-Signature"),
            webhook_signature(std::string("secret-") + kUp,
                              std::stoll(header(r.headers, "X-Fmn-Timestamp")), r.body));
  EXPECT_EQ(sink_->counters().delivered.load(), 1u);
  EXPECT_EQ(sink_->counters().truncated.load(), 1u);

  sink_->deliver(std::vector<Notification>{to(kUp, "m2")});  // an ordinary one goes whole
  ASSERT_EQ(requests_->size(), 2u);
  EXPECT_EQ(requests_->back().body.find("truncated"), std::string::npos);
  EXPECT_NE(requests_->back().body.find("\"usernames\":[\"bowlofeggs\""), std::string::npos);
  EXPECT_EQ(sink_->counters().truncated.load(), 1u);
}

TEST_F(WebhookSinkUnitTest, AReceiverThatIsDownDelaysOnlyItsOwnNotificationsInOrder) {
  (*script_)[kDown] = {503};
  sink_->deliver(std::vector<Notification>{to(kDown, "d1"), to(kUp, "u1"), to(kDown, "d2")});
  // d1 failed, d2 waits behind it; u1 went through.
  ASSERT_EQ(requests_->size(), 2u);
  EXPECT_EQ((*requests_)[1].url, kUp);
  EXPECT_EQ(sink_->queued(), 2u);
  clock_.advance(1s);
  sink_->tick();
  ASSERT_EQ(requests_->size(), 4u);
  EXPECT_NE((*requests_)[2].body.find("\"d1\""), std::string::npos);
  EXPECT_NE((*requests_)[3].body.find("\"d2\""), std::string::npos);
  EXPECT_EQ(sink_->counters().delivered.load(), 3u);
  EXPECT_EQ(sink_->counters().retried.load(), 1u);
}

TEST_F(WebhookSinkUnitTest, AClientErrorIsRefusedForGoodAndOutOfAttemptsIsGivenUp) {
  (*script_)[kUp] = {404};
  (*script_)[kDown] = {500, 500, 500};
  sink_->deliver(std::vector<Notification>{to(kUp), to(kDown)});
  clock_.advance(1s);
  sink_->tick();
  clock_.advance(2s);
  sink_->tick();
  EXPECT_EQ(requests_->size(), 4u);
  EXPECT_EQ(sink_->counters().failed.load(), 2u);
  EXPECT_EQ(sink_->queued(), 0u);
  ASSERT_EQ(failures_.size(), 2u);
  EXPECT_TRUE(failures_[0].permanent);
  EXPECT_FALSE(failures_[1].permanent);
}

TEST_F(WebhookSinkUnitTest, RejectsInvalidUrlsAndDestinationsWithoutASecret) {
  sink_->deliver(
      std::vector<Notification>{to("ftp://example.org/x"), to("https://unknown.example.org/hook")});
  EXPECT_TRUE(requests_->empty());
  EXPECT_EQ(sink_->counters().rejected.load(), 2u);
}

TEST_F(WebhookSinkUnitTest, ADigestIsSettledOnceEveryItemIs) {
  (*script_)[kUp] = {500};
  Digest digest;
  digest.items = {to(kUp, "a"), to(kUp, "b")};
  int settled = 0;
  std::vector<NotificationSettled> each(2, [&] { ++settled; });
  sink_->deliver_digest(digest, each);
  EXPECT_EQ(settled, 0);
  clock_.advance(1s);
  sink_->tick();
  EXPECT_EQ(settled, 2);
  EXPECT_EQ(sink_->counters().delivered.load(), 2u);
}

TEST_F(WebhookSinkUnitTest, EachItemOfADigestSettlesWithItsOwnOutcome) {
  (*script_)[kUp] = {404};  // the first item is refused for good, the second accepted
  Digest digest;
  digest.items = {to(kUp, "a"), to(kUp, "b")};
  std::vector<std::string> outcomes(2, "unsettled");
  std::vector<NotificationSettled> each;
  for (std::string& outcome : outcomes) {
    each.emplace_back([&outcome](std::string_view failure) { outcome = failure; });
  }
  sink_->deliver_digest(digest, each);
  EXPECT_NE(outcomes[0].find("404"), std::string::npos) << outcomes[0];
  EXPECT_EQ(outcomes[1], "");  // delivered
  EXPECT_EQ(sink_->counters().delivered.load(), 1u);
  EXPECT_EQ(sink_->counters().failed.load(), 1u);
}

}  // namespace
}  // namespace fmn::sinks
