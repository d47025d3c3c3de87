// Destinations through the API: a new address is stored pending and gets a confirmation request
// (and nothing else) until its owner follows the link; requests are rate-limited; another user
// can neither remove nor confirm it.
#include "sinks/confirmation.h"
#include "tests/support/fake_clock.h"
#include "tests/web/web_app_fixture.h"

namespace fmn::web {
namespace {

using WebDestinations = WebAppTest;

TEST_F(WebDestinations, ANewAddressIsPendingUntilItsOwnerFollowsTheLink) {
  const Client ralph = sign_in("ralph");
  const HttpReply added =
      http_request("POST", base_ + "/api/v1/destinations", {ralph.cookie, ralph.csrf, kJson},
                   R"({"name":"work","kind":"email","address":"ralph@example.org"})");
  EXPECT_EQ(added.status, 201) << added.body;
  EXPECT_NE(added.body.find(R"("state":"pending")"), std::string::npos);
  ASSERT_EQ(sent_.size(), 1u);
  const sinks::ConfirmationRequest request = sent_[0];
  EXPECT_EQ(request.user, "ralph");
  EXPECT_EQ(request.address, "ralph@example.org");
  EXPECT_EQ(added.body.find(request.code), std::string::npos);  // the code only goes to the address
  EXPECT_EQ(stored("ralph").find_destination("work")->confirmation.state,
            prefs::ConfirmationState::kPending);

  const std::string link = sinks::confirmation_url(base_, request, true);
  const HttpReply form = http_request("GET", link);
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<form method=\"post\""), std::string::npos);
  EXPECT_EQ(stored("ralph").find_destination("work")->confirmation.state,
            prefs::ConfirmationState::kPending);  // a GET changes nothing

  sinks::ConfirmationRequest guessed = request;
  guessed.code = "wrong";
  EXPECT_EQ(http_request("POST", sinks::confirmation_url(base_, guessed, true)).status, 404);
  EXPECT_EQ(http_request("POST", link).status, 200);
  EXPECT_EQ(stored("ralph").find_destination("work")->confirmation.state,
            prefs::ConfirmationState::kConfirmed);
  EXPECT_EQ(http_request("POST", link).status, 404);  // used
}

TEST_F(WebDestinations, ARefusedAddressIsMarkedRejected) {
  const Client ralph = sign_in("ralph");
  ASSERT_EQ(http_request("POST", base_ + "/api/v1/destinations", {ralph.cookie, ralph.csrf, kJson},
                         R"({"name":"chat","kind":"irc","address":"rbean"})")
                .status,
            201);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(http_request("POST", sinks::confirmation_url(base_, sent_[0], false)).status, 200);
  EXPECT_EQ(stored("ralph").find_destination("chat")->confirmation.state,
            prefs::ConfirmationState::kRejected);
}

// A sink's answer (the IRC bot's /msg) takes the /confirm page's path: only the pending nick
// itself, under the IRC case-mapping, with the right code for the named account.
TEST_F(WebDestinations, AnAnswerThroughASinkConfirmsOnlyFromThePendingNickWithItsCode) {
  const Client ralph = sign_in("ralph");
  ASSERT_EQ(http_request("POST", base_ + "/api/v1/destinations", {ralph.cookie, ralph.csrf, kJson},
                         R"({"name":"chat","kind":"irc","address":"rbean[away]"})")
                .status,
            201);
  ASSERT_EQ(sent_.size(), 1u);
  const std::string code = sent_[0].code;
  using prefs::AnswerOutcome;
  EXPECT_EQ(app_->answer_confirmation({"ralph", DestinationKind::kIrc, "other", code, true}),
            AnswerOutcome::kUnknownOrWrongCode);
  EXPECT_EQ(app_->answer_confirmation({"ralph", DestinationKind::kIrc, "RBean{away}", "x", true}),
            AnswerOutcome::kUnknownOrWrongCode);
  EXPECT_EQ(
      app_->answer_confirmation({"lmacken", DestinationKind::kIrc, "rbean[away]", code, true}),
      AnswerOutcome::kUnknownOrWrongCode);
  EXPECT_EQ(stored("ralph").find_destination("chat")->confirmation.state,
            prefs::ConfirmationState::kPending);
  EXPECT_EQ(app_->answer_confirmation({"ralph", DestinationKind::kIrc, "RBean{away}", code, true}),
            AnswerOutcome::kAccepted);
  EXPECT_EQ(stored("ralph").find_destination("chat")->confirmation.state,
            prefs::ConfirmationState::kConfirmed);
}

TEST_F(WebDestinations, RequestsAreRateLimitedPerUserAndPerAddress) {
  const Client ralph = sign_in("ralph"), lmacken = sign_in("lmacken");
  int accepted = 0;
  for (int i = 0; i < 10; ++i) {
    const HttpReply r =
        http_request("POST", base_ + "/api/v1/destinations", {ralph.cookie, ralph.csrf, kJson},
                     R"({"name":"d)" + std::to_string(i) + R"(","kind":"email","address":"a)" +
                         std::to_string(i) + R"(@example.org"})");
    if (r.status == 201) {
      ++accepted;
    } else {
      EXPECT_EQ(r.status, 429);
    }
  }
  EXPECT_EQ(accepted, 5);  // the default burst per user
  EXPECT_EQ(sent_.size(), 5u);
}

TEST(ConfirmationLimits, AStrangersAddressGetsABurstWhoeverAsksThenOneEveryFewHours) {
  test::FakeClock clock;
  ConfirmationLimits limits({}, clock);
  int sent = 0;
  for (const char* user : {"a", "b", "c", "d", "e"})
    sent += limits.try_take(user, "victim@x.org") == Take::kTaken;
  EXPECT_EQ(sent, 3);
  EXPECT_EQ(limits.try_take("a", "other@x.org"),
            Take::kTaken);               // a's own bucket was not spent by refusals
  clock.advance(std::chrono::hours(5));  // 5 a day: one more after 4.8 hours
  EXPECT_EQ(limits.try_take("e", "victim@x.org"), Take::kTaken);
  EXPECT_EQ(limits.try_take("e", "victim@x.org"), Take::kRefused);
}

TEST_F(WebDestinations, OnlyTheOwnerRemovesADestinationAndItsDeliveriesGoWithIt) {
  const Client ralph = sign_in("ralph"), lmacken = sign_in("lmacken");
  EXPECT_EQ(
      http_request("DELETE", base_ + "/api/v1/destinations/irc", {lmacken.cookie, lmacken.csrf})
          .status,
      404);
  EXPECT_NE(stored("ralph").find_destination("irc"), nullptr);
  EXPECT_EQ(
      http_request("DELETE", base_ + "/api/v1/destinations/irc", {ralph.cookie, ralph.csrf}).status,
      204);
  const prefs::User now = stored("ralph");
  EXPECT_EQ(now.find_destination("irc"), nullptr);
  for (const prefs::Rule& rule : now.rules) {
    for (const prefs::Delivery& d : rule.deliveries) EXPECT_NE(d.destination, "irc");
  }
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/destinations", {ralph.cookie, kJson},
                         R"({"name":"x","kind":"email","address":"x@example.org"})")
                .status,
            403);  // no CSRF token
}

}  // namespace
}  // namespace fmn::web
