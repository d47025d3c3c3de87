// The webhook sink against a real HTTP server (tests/support/webhook_receiver.py): the receiver
// gets the notification as JSON, checks the signature with its own HMAC code, makes the sink
// retry by answering 500, and confirms a destination by echoing its challenge.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <optional>

#include "sinks/curl_webhook_transport.h"
#include "sinks/webhook_sink.h"
#include "tests/sinks/notification_fixture.h"
#include "tests/support/fake_clock.h"
#include "tests/support/webhook_server.h"

namespace fmn::sinks {
namespace {

using namespace std::chrono_literals;
using test::WebhookMode;
using test::WebhookServer;
using testing::make_notification;

constexpr char kSecret[] = "s3cret-of-bowlofeggs-hook";

class WebhookSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = WebhookServer::start(kSecret);
    ASSERT_TRUE(started.ok()) << started.error().message;
    server_.emplace(std::move(started).value());
    url_ = server_->url("/fmn/hook");
  }

  // A sink whose secrets know only url_, with `secret`.
  std::unique_ptr<WebhookSink> sink(std::string secret = kSecret,
                                    ConfirmationHandler on_confirmed = {}) {
    auto transport = CurlWebhookTransport::create(10s);
    if (!transport) std::abort();
    WebhookSinkConfig config;
    config.backoff.initial = 1s;
    config.backoff.jitter = 0;
    return std::make_unique<WebhookSink>(
        std::move(transport).value(),
        [this, secret](std::string_view url) { return url == url_ ? secret : std::string(); },
        config, clock_, FailureHandler{}, std::move(on_confirmed));
  }

  Notification to_hook() { return make_notification({}, DestinationKind::kWebhook, url_); }

  std::vector<test::WebhookRequest> requests(size_t count) {
    auto got = server_->wait_for_requests(count, 10s);
    if (!got.ok()) ADD_FAILURE() << got.error().message;
    return got.ok() ? std::move(got).value() : std::vector<test::WebhookRequest>{};
  }

  test::FakeClock clock_;
  std::optional<WebhookServer> server_;
  std::string url_;
};

TEST_F(WebhookSinkTest, PostsTheNotificationAsSignedJson) {
  auto hooks = sink();
  hooks->deliver(std::vector<Notification>{to_hook()});
  const auto got = requests(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].path, "/fmn/hook");
  EXPECT_EQ(got[0].event, "notification");
  EXPECT_TRUE(got[0].signature_valid) << got[0].signature;
  rapidjson::Document body;
  body.Parse(got[0].body.c_str());
  ASSERT_TRUE(body.IsObject()) << got[0].body;
  EXPECT_STREQ(body["msg_id"].GetString(), "2024-0f3c5a1e-1111-2222-3333-444455556666");
  EXPECT_STREQ(body["topic"].GetString(), "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_STREQ(body["rule"].GetString(), "my updates");
  EXPECT_EQ(hooks->counters().delivered.load(), 1u);
  EXPECT_EQ(hooks->queued(), 0u);
}

TEST_F(WebhookSinkTest, ASignatureUnderAnotherSecretDoesNotVerify) {
  auto hooks = sink("not-the-receivers-secret");
  hooks->deliver(std::vector<Notification>{to_hook()});
  const auto got = requests(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(got[0].signature_valid);
}

TEST_F(WebhookSinkTest, RetriesAfterA500UntilTheReceiverAccepts) {
  auto hooks = sink();
  ASSERT_TRUE(server_->set_mode(WebhookMode::kFail).ok());
  bool settled = false;
  std::vector<NotificationSettled> done{[&] { settled = true; }};
  hooks->deliver_confirmed(std::vector<Notification>{to_hook()}, done);
  auto got = requests(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].status, 500);
  EXPECT_FALSE(settled) << "held until delivered";
  EXPECT_EQ(hooks->counters().retried.load(), 1u);
  EXPECT_EQ(hooks->queued(), 1u);

  ASSERT_TRUE(server_->set_mode(WebhookMode::kAccept).ok());
  hooks->tick();  // the backoff has not passed: nothing is sent
  EXPECT_EQ(server_->requests()->size(), 1u);
  clock_.advance(1s);
  hooks->tick();
  got = requests(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].status, 200);
  EXPECT_TRUE(got[1].signature_valid);
  EXPECT_EQ(got[1].body, got[0].body);
  EXPECT_TRUE(settled);
  EXPECT_EQ(hooks->counters().delivered.load(), 1u);
  EXPECT_EQ(hooks->queued(), 0u);
}

ConfirmationRequest challenge(std::string url) {
  return {"bowlofeggs", DestinationKind::kWebhook, std::move(url), "c0de4hook", 1714600000};
}

TEST_F(WebhookSinkTest, ConfirmsADestinationWhoseReceiverEchoesTheChallenge) {
  std::vector<ConfirmationAnswer> answers;
  auto hooks = sink(kSecret, [&](const ConfirmationAnswer& a) {
    answers.push_back(a);
    return ConfirmationOutcome::kDone;
  });
  EXPECT_TRUE(hooks->challenge(challenge(url_)));
  const auto got = requests(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].event, "confirmation");
  EXPECT_TRUE(got[0].signature_valid);
  rapidjson::Document body;
  body.Parse(got[0].body.c_str());
  ASSERT_TRUE(body.IsObject()) << got[0].body;
  EXPECT_STREQ(body["challenge"].GetString(), "c0de4hook");
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].kind, "webhook");
  EXPECT_EQ(answers[0].address, url_);
  EXPECT_EQ(answers[0].code, "c0de4hook");
  EXPECT_TRUE(answers[0].accept);
}

TEST_F(WebhookSinkTest, AReceiverThatDoesNotEchoTheChallengeIsNotConfirmed) {
  int answers = 0;
  auto hooks = sink(kSecret, [&](const ConfirmationAnswer&) {
    ++answers;
    return ConfirmationOutcome::kDone;
  });
  ASSERT_TRUE(server_->set_mode(WebhookMode::kNoEcho).ok());
  EXPECT_FALSE(hooks->challenge(challenge(url_)));
  EXPECT_EQ(requests(1).size(), 1u);
  EXPECT_EQ(answers, 0);
}

}  // namespace
}  // namespace fmn::sinks
