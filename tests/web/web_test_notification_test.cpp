// "Send me a test notification": only to the signed-in user's own confirmed destinations, with
// the CSRF token, a few a minute; the notification says it is a test, names the user and the
// destination, and links to the app.
#include "tests/support/fake_clock.h"
#include "tests/web/web_app_fixture.h"
#include "web/test_notification.h"

namespace fmn::web {
namespace {

using WebTestNotification = WebAppTest;

HttpReply post_test(const std::string& base, const Client& c, const std::string& destination,
                    bool with_csrf = true) {
  std::vector<std::string> headers{c.cookie};
  if (with_csrf) headers.push_back(c.csrf);
  return http_request("POST", base + "/api/v1/destinations/" + destination + "/test", headers);
}

TEST_F(WebTestNotification, AConfirmedDestinationGetsATestNotificationNamingItsOwner) {
  const Client ralph = sign_in("ralph");
  const HttpReply r = post_test(base_, ralph, "irc");
  EXPECT_EQ(r.status, 202) << r.body;
  ASSERT_EQ(tests_sent_.size(), 1u);
  const Notification& n = tests_sent_[0];
  EXPECT_EQ(n.user(), "ralph");
  EXPECT_EQ(n.destination, DestinationKind::kIrc);
  EXPECT_EQ(n.address(), "threebean");
  EXPECT_EQ(n.rule_name(), kTestRuleName);
  EXPECT_EQ(n.message->topic, kTestTopic);
  const std::string text = n.message->meta.subtitle.value_or("");
  EXPECT_NE(text.find("test notification"), std::string::npos) << text;
  EXPECT_NE(text.find("ralph"), std::string::npos) << text;
  EXPECT_NE(text.find("\"irc\""), std::string::npos) << text;
  EXPECT_EQ(n.message->meta.link, std::optional<std::string>("http://localhost:8081"));

  ASSERT_EQ(post_test(base_, ralph, "irc").status, 202);
  ASSERT_EQ(tests_sent_.size(), 2u);
  EXPECT_NE(tests_sent_[0].message->msg_id, tests_sent_[1].message->msg_id);  // never deduplicated
}

TEST_F(WebTestNotification, AnotherUsersDestinationIsNotFound) {
  const Client lmacken = sign_in("lmacken");
  EXPECT_EQ(post_test(base_, lmacken, "irc").status, 404);  // ralph's nick, not lmacken's
  EXPECT_TRUE(tests_sent_.empty());
}

TEST_F(WebTestNotification, ARequestWithoutTheCsrfTokenIsRefused) {
  const Client ralph = sign_in("ralph");
  EXPECT_EQ(post_test(base_, ralph, "email", false).status, 403);
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/destinations/email/test").status, 401);
  EXPECT_TRUE(tests_sent_.empty());
}

TEST_F(WebTestNotification, APendingDestinationIsRefused) {
  const Client kevin = sign_in("kevin");
  const HttpReply r = post_test(base_, kevin, "email");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("not confirmed"), std::string::npos) << r.body;
  EXPECT_TRUE(tests_sent_.empty());
}

TEST_F(WebTestNotification, OnlyPostSendsOne) {
  const Client ralph = sign_in("ralph");
  EXPECT_EQ(http_request("GET", base_ + "/api/v1/destinations/email/test", {ralph.cookie}).status,
            405);
  EXPECT_TRUE(tests_sent_.empty());
}

TEST_F(WebTestNotification, EachUserGetsABurstOfFive) {
  const Client ralph = sign_in("ralph"), lmacken = sign_in("lmacken");
  int accepted = 0;
  for (int i = 0; i < 8; ++i) {
    const HttpReply r = post_test(base_, ralph, i % 2 == 0 ? "email" : "irc");
    if (r.status == 202) {
      ++accepted;
    } else {
      EXPECT_EQ(r.status, 429);
    }
  }
  EXPECT_EQ(accepted, 5);
  EXPECT_EQ(post_test(base_, lmacken, "email").status, 202);  // another user's own bucket
  EXPECT_EQ(tests_sent_.size(), 6u);
}

TEST(TestNotificationLimits, FiveAMinutePerUser) {
  test::FakeClock clock;
  TestNotificationLimits limits({}, clock);
  int sent = 0;
  for (int i = 0; i < 7; ++i) sent += limits.try_take("ralph") == Take::kTaken;
  EXPECT_EQ(sent, 5);
  EXPECT_EQ(limits.try_take("kevin"), Take::kTaken);
  clock.advance(std::chrono::seconds(12));  // 5 a minute: one more every 12 s
  EXPECT_EQ(limits.try_take("ralph"), Take::kTaken);
  EXPECT_EQ(limits.try_take("ralph"), Take::kRefused);
}

}  // namespace
}  // namespace fmn::web
