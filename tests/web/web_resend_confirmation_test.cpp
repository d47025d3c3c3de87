// Asking again for a pending destination's confirmation: a fresh code replaces the old one (the
// old link stops working), within the same limits as the first request; only for the owner's
// pending destinations.
#include "sinks/confirmation.h"
#include "tests/web/web_app_fixture.h"

namespace fmn::web {
namespace {

using WebResendConfirmation = WebAppTest;

// Adds the email destination "office" at `address`.
HttpReply add_office(const std::string& base, const Client& c, const std::string& address) {
  return http_request("POST", base + "/api/v1/destinations", {c.cookie, c.csrf, kJson},
                      R"({"name":"office","kind":"email","address":")" + address + "\"}");
}

HttpReply resend(const std::string& base, const Client& c, const std::string& name) {
  return http_request("POST", base + "/api/v1/destinations/" + name + "/resend",
                      {c.cookie, c.csrf});
}

TEST_F(WebResendConfirmation, APendingDestinationGetsANewCodeAndTheOldLinkStopsWorking) {
  const Client ralph = sign_in("ralph");
  ASSERT_EQ(add_office(base_, ralph, "ralph@example.org").status, 201);
  const HttpReply again = resend(base_, ralph, "office");
  EXPECT_EQ(again.status, 202) << again.body;
  EXPECT_NE(again.body.find(R"("state":"pending")"), std::string::npos);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].address, "ralph@example.org");
  EXPECT_NE(sent_[1].code, sent_[0].code);
  EXPECT_EQ(again.body.find(sent_[1].code), std::string::npos);
  EXPECT_EQ(http_request("POST", sinks::confirmation_url(base_, sent_[0], true)).status, 404);
  EXPECT_EQ(http_request("POST", sinks::confirmation_url(base_, sent_[1], true)).status, 200);
  EXPECT_EQ(stored("ralph").find_destination("office")->confirmation.state,
            prefs::ConfirmationState::kConfirmed);
  EXPECT_EQ(resend(base_, ralph, "office").status, 409);  // confirmed: nothing to ask
}

TEST_F(WebResendConfirmation, CountsAgainstTheSameLimitsAsTheFirstRequest) {
  const Client ralph = sign_in("ralph");
  ASSERT_EQ(add_office(base_, ralph, "victim@example.org").status, 201);
  // The address's burst is 3: the first request and two more.
  EXPECT_EQ(resend(base_, ralph, "office").status, 202);
  EXPECT_EQ(resend(base_, ralph, "office").status, 202);
  EXPECT_EQ(resend(base_, ralph, "office").status, 429);
  EXPECT_EQ(sent_.size(), 3u);
}

TEST_F(WebResendConfirmation, OnlyTheOwnerAsksAndOnlyWithTheCsrfToken) {
  const Client ralph = sign_in("ralph");
  ASSERT_EQ(add_office(base_, ralph, "ralph@example.org").status, 201);
  EXPECT_EQ(resend(base_, sign_in("lmacken"), "office").status, 404);
  EXPECT_EQ(
      http_request("POST", base_ + "/api/v1/destinations/office/resend", {ralph.cookie}).status,
      403);
  EXPECT_EQ(
      http_request("GET", base_ + "/api/v1/destinations/office/resend", {ralph.cookie}).status,
      405);
  EXPECT_EQ(sent_.size(), 1u);
}

}  // namespace
}  // namespace fmn::web
