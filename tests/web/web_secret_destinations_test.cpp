// Destinations with a secret, offered from the kinds table: an SSE feed (address drawn by the
// app, the owner's at once, shown by its URL under the SSE server's public URL, its token shown
// once and kept as a digest, rotatable) and a webhook
// (URL given, secret shown once and kept for signing, confirmed by its challenge).
#include "core/stored_secret.h"
#include "tests/web/web_app_fixture.h"

namespace fmn::web {
namespace {

using test::json_string_member;
using WebSecretDestinations = WebAppTest;

TEST_F(WebSecretDestinations, TheKindsOfferedComeFromTheTable) {
  const Client ralph = sign_in("ralph");
  const HttpReply r = http_request("GET", base_ + "/api/v1/destinations", {ralph.cookie});
  EXPECT_EQ(r.status, 200) << r.body;
  for (const char* kind : {"email", "irc", "sse", "webhook"}) {
    EXPECT_NE(r.body.find(std::string(R"({"kind":")") + kind + "\""), std::string::npos) << kind;
  }
  EXPECT_EQ(r.body.find(R"("kind":"stdout")"), std::string::npos) << "no user names stdout";
  EXPECT_NE(r.body.find(R"("kind":"sse","address_noun":"SSE feed name")"), std::string::npos);
  EXPECT_NE(r.body.find(R"("address_drawn":true,"secret":true)"), std::string::npos) << r.body;
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/destinations", {ralph.cookie, ralph.csrf, kJson},
                         R"({"name":"x","kind":"stdout","address":"x"})")
                .status,
            400);
}

TEST_F(WebSecretDestinations, AFeedIsTheOwnersAtOnceAndItsTokenIsShownOnceAndKeptAsADigest) {
  const Client ralph = sign_in("ralph");
  const std::vector<std::string> as_ralph{ralph.cookie, ralph.csrf, kJson};
  const HttpReply added = http_request("POST", base_ + "/api/v1/destinations", as_ralph,
                                       R"({"name":"live","kind":"sse"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_NE(added.body.find(R"("state":"confirmed")"), std::string::npos) << added.body;
  const std::string token = json_string_member(added.body, "token");
  const std::string feed = json_string_member(added.body, "address");
  ASSERT_GE(token.size(), 32u) << added.body;
  EXPECT_GE(feed.size(), 20u) << "the app draws the feed's name";
  EXPECT_TRUE(sent_.empty()) << "a feed needs no confirmation message";

  const prefs::Destination stored_feed = *stored("ralph").find_destination("live");
  EXPECT_EQ(stored_feed.address, feed);
  EXPECT_EQ(stored_feed.token, hash_secret(token));
  EXPECT_EQ(stored_feed.token.find(token), std::string::npos) << "the raw token is stored";
  EXPECT_TRUE(secret_matches(stored_feed.token, token));
  // The URL a user pastes into a client (with ?token=): the configured SSE public URL's.
  const std::string url = "https://feeds.example.org/feeds/" + feed;
  EXPECT_EQ(json_string_member(added.body, "url"), url) << added.body;
  for (const std::string path : {"/api/v1/destinations", "/api/v1/rules"}) {
    const HttpReply listed = http_request("GET", base_ + path, {ralph.cookie});
    EXPECT_EQ(listed.body.find(token), std::string::npos) << path << " shows the token again";
    EXPECT_NE(listed.body.find(R"("url":")" + url + '"'), std::string::npos) << listed.body;
  }
  const HttpReply rotated =
      http_request("POST", base_ + "/api/v1/destinations/live/rotate", as_ralph);
  EXPECT_EQ(json_string_member(rotated.body, "url"), url) << rotated.body;
  // Other kinds have no URL of their own.
  const HttpReply listed = http_request("GET", base_ + "/api/v1/destinations", {ralph.cookie});
  size_t urls = 0;
  for (size_t at = listed.body.find(R"("url":)"); at != std::string::npos;
       at = listed.body.find(R"("url":)", at + 1)) {
    ++urls;
  }
  EXPECT_EQ(urls, 1u) << listed.body;

  const HttpReply second = http_request("POST", base_ + "/api/v1/destinations", as_ralph,
                                        R"({"name":"other","kind":"sse"})");
  EXPECT_NE(json_string_member(second.body, "address"), feed) << "each feed gets its own name";
}

TEST_F(WebSecretDestinations, RotatingAFeedsTokenReplacesItAndOnlyTheOwnerMayRotate) {
  const Client ralph = sign_in("ralph");
  const std::vector<std::string> as_ralph{ralph.cookie, ralph.csrf, kJson};
  const HttpReply added = http_request("POST", base_ + "/api/v1/destinations", as_ralph,
                                       R"({"name":"live","kind":"sse"})");
  const std::string old_token = json_string_member(added.body, "token");
  const HttpReply rotated =
      http_request("POST", base_ + "/api/v1/destinations/live/rotate", as_ralph);
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string new_token = json_string_member(rotated.body, "token");
  ASSERT_FALSE(new_token.empty());
  EXPECT_NE(new_token, old_token);
  const std::string kept = stored("ralph").find_destination("live")->token;
  EXPECT_TRUE(secret_matches(kept, new_token));
  EXPECT_FALSE(secret_matches(kept, old_token));

  EXPECT_EQ(http_request("POST", base_ + "/api/v1/destinations/email/rotate", as_ralph).status, 409)
      << "an email address has no secret";
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/destinations/live/rotate", {ralph.cookie}).status,
            403)
      << "rotating needs the CSRF token";
  const Client kevin = sign_in("kevin");
  EXPECT_EQ(
      http_request("POST", base_ + "/api/v1/destinations/live/rotate", {kevin.cookie, kevin.csrf})
          .status,
      404)
      << "another user's feed is not found";
  EXPECT_EQ(stored("ralph").find_destination("live")->token, kept);
}

TEST_F(WebSecretDestinations, AWebhookGetsItsSecretOnceAndIsConfirmedByItsChallenge) {
  const Client ralph = sign_in("ralph");
  const HttpReply added =
      http_request("POST", base_ + "/api/v1/destinations", {ralph.cookie, ralph.csrf, kJson},
                   R"({"name":"hook","kind":"webhook","address":"https://hooks.example.org/fmn"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_NE(added.body.find(R"("state":"pending")"), std::string::npos);
  const std::string secret = json_string_member(added.body, "token");
  ASSERT_FALSE(secret.empty());
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].kind, DestinationKind::kWebhook);
  EXPECT_EQ(sent_[0].address, "https://hooks.example.org/fmn");
  EXPECT_EQ(sent_[0].secret, secret) << "the sink signs the challenge with it";
  EXPECT_EQ(stored("ralph").find_destination("hook")->token, secret)
      << "a webhook's secret is kept to sign with";
  EXPECT_EQ(http_request("GET", base_ + "/api/v1/destinations", {ralph.cookie}).body.find(secret),
            std::string::npos);
}

}  // namespace
}  // namespace fmn::web
