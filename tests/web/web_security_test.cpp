// The web app's security promises, tried over real HTTP (libcurl) against the app serving a
// preferences file: another user's data is never readable or writable, requests that change
// state need the session's CSRF token, forged unsubscribe links change nothing, and the demo
// sign-in works only on a loopback listener.
#include "sinks/unsubscribe_link.h"
#include "tests/web/web_app_fixture.h"

namespace fmn::web {
namespace {

using WebSecurity = WebAppTest;

TEST_F(WebSecurity, SessionCookieIsHttpOnlySameSiteStrictAndSecure) {
  const HttpReply r =
      http_request("POST", base_ + "/api/v1/session/demo", {kJson}, "{\"user\":\"ralph\"}");
  const std::string cookie = r.header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
}

TEST_F(WebSecurity, AnotherUsersRulesAreNeverReadableOrWritable) {
  const Client ralph = sign_in("ralph"), lmacken = sign_in("lmacken");
  ASSERT_EQ(http_request("POST", base_ + "/api/v1/rules", {ralph.cookie, ralph.csrf, kJson},
                         R"({"name":"private","source":"topic ~ \"*.koji.*\""})")
                .status,
            201);

  const HttpReply list = http_request("GET", base_ + "/api/v1/rules", {lmacken.cookie});
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("\"user\":\"lmacken\""), std::string::npos);
  EXPECT_EQ(list.body.find("private"), std::string::npos);
  EXPECT_EQ(list.body.find("ralph"), std::string::npos);

  const std::string rule = base_ + "/api/v1/rules/private";
  const std::vector<std::string> as_lmacken{lmacken.cookie, lmacken.csrf, kJson};
  EXPECT_EQ(http_request("GET", rule, as_lmacken).status, 404);
  EXPECT_EQ(http_request("PUT", rule, as_lmacken, R"({"enabled":false})").status, 404);
  EXPECT_EQ(http_request("POST", rule + "/disable", as_lmacken).status, 404);
  EXPECT_EQ(http_request("DELETE", rule, as_lmacken).status, 404);
  // Nothing in a request names whose preferences it changes: a user member is ignored.
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/rules", as_lmacken,
                         R"({"user":"ralph","name":"mine","source":"topic ~ \"*.koji.*\""})")
                .status,
            201);
  // Another session's CSRF token is not this session's.
  EXPECT_EQ(
      http_request("DELETE", base_ + "/api/v1/rules/mine", {lmacken.cookie, ralph.csrf}).status,
      403);

  const prefs::User ralph_now = stored("ralph");
  ASSERT_EQ(ralph_now.rules.size(), 4u);
  EXPECT_EQ(ralph_now.rules.back().name, "private");
  EXPECT_TRUE(ralph_now.rules.back().enabled);
  EXPECT_NE(stored("lmacken").rules.back().name, "private");
  EXPECT_EQ(stored("lmacken").rules.back().name, "mine");
}

TEST_F(WebSecurity, EveryApiEndpointNeedsASession) {
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/session"},
           {"DELETE", "/api/v1/session"},
           {"GET", "/api/v1/rules"},
           {"POST", "/api/v1/rules"},
           {"PUT", "/api/v1/rules/mentions%20me"},
           {"DELETE", "/api/v1/rules/mentions%20me"},
           {"POST", "/api/v1/rules/mentions%20me/disable"},
           {"POST", "/api/v1/destinations/email/test"},
           {"GET", "/api/v1/history"},
           {"POST", "/api/v1/check"}}) {
    EXPECT_EQ(
        http_request(method, base_ + path, {kJson, "Cookie: fmn_session=guessed"}, "{}").status,
        401)
        << method << " " << path;
  }
  EXPECT_GE(app_->counters().unauthenticated.load(), 8u);
}

TEST_F(WebSecurity, StateChangingRequestsWithoutTheCsrfTokenAreRefused) {
  const Client ralph = sign_in("ralph");
  const std::string rule = base_ + "/api/v1/rules/mentions%20me";
  for (const std::string& csrf : {std::string(), std::string("X-CSRF-Token: wrong")}) {
    std::vector<std::string> headers{ralph.cookie, kJson};
    if (!csrf.empty()) headers.push_back(csrf);
    EXPECT_EQ(http_request("POST", base_ + "/api/v1/rules", headers,
                           R"({"name":"x","source":"topic ~ \"*\""})")
                  .status,
              403);
    EXPECT_EQ(http_request("PUT", rule, headers, R"({"enabled":false})").status, 403);
    EXPECT_EQ(http_request("POST", rule + "/disable", headers).status, 403);
    EXPECT_EQ(http_request("DELETE", rule, headers).status, 403);
    EXPECT_EQ(http_request("POST", base_ + "/api/v1/check", headers, R"({"source":"x"})").status,
              403);
    EXPECT_EQ(http_request("DELETE", base_ + "/api/v1/session", headers).status, 403);
  }
  EXPECT_EQ(app_->counters().csrf_refused.load(), 12u);
  const prefs::User ralph_now = stored("ralph");
  ASSERT_EQ(ralph_now.rules.size(), 3u);
  EXPECT_TRUE(ralph_now.rules.front().enabled);
  // The session itself still works, with its token.
  EXPECT_EQ(http_request("POST", rule + "/disable", {ralph.cookie, ralph.csrf}).status, 200);
  EXPECT_FALSE(stored("ralph").rules.front().enabled);
}

TEST_F(WebSecurity, SignOutEndsTheSession) {
  const Client ralph = sign_in("ralph");
  EXPECT_EQ(http_request("DELETE", base_ + "/api/v1/session", {ralph.cookie, ralph.csrf}).status,
            204);
  EXPECT_EQ(http_request("GET", base_ + "/api/v1/rules", {ralph.cookie}).status, 401);
}

TEST_F(WebSecurity, ForgedOrAlteredUnsubscribeLinksAreRefused) {
  const sinks::UnsubscribeTarget target{"ralph", "mentions me", "email", "ralph@fedoraproject.org"};
  auto link = [&](std::string_view secret, const sinks::UnsubscribeTarget& t) {
    std::string url;
    sinks::append_unsubscribe_url(url, base_, secret, t);
    return url;
  };
  std::vector<std::string> forged{link("another key", target)};
  for (auto field : {&sinks::UnsubscribeTarget::user, &sinks::UnsubscribeTarget::rule,
                     &sinks::UnsubscribeTarget::address}) {
    sinks::UnsubscribeTarget altered = target;
    altered.*field = field == &sinks::UnsubscribeTarget::user ? "lmacken" : "";
    // The signature of the real link on altered values.
    const std::string real = link(kSecret, target);
    forged.push_back(link(kSecret, altered).substr(0, link(kSecret, altered).find("&sig=")) +
                     real.substr(real.find("&sig=")));
  }
  forged.push_back(base_ + "/unsubscribe?user=ralph&rule=&kind=email&address=x");  // no sig
  for (const std::string& url : forged) {
    EXPECT_EQ(http_request("GET", url).status, 403) << url;
    EXPECT_EQ(http_request("POST", url, {}, "List-Unsubscribe=One-Click").status, 403) << url;
  }
  EXPECT_EQ(app_->counters().unsubscribe_refused.load(), 2 * forged.size());
  EXPECT_EQ(stored("ralph").rules.front().deliveries.size(), 2u);

  // The real link: GET only asks, the one-click POST stops that rule's email and nothing else.
  const std::string real = link(kSecret, target);
  const HttpReply page = http_request("GET", real);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<form method=\"post\""), std::string::npos);
  EXPECT_EQ(stored("ralph").rules.front().deliveries.size(), 2u);
  EXPECT_EQ(http_request("POST", real, {"Content-Type: application/x-www-form-urlencoded"},
                         "List-Unsubscribe=One-Click")
                .status,
            200);
  const prefs::User ralph = stored("ralph");
  ASSERT_EQ(ralph.rules.front().deliveries.size(), 1u);
  EXPECT_EQ(ralph.rules.front().deliveries.front().destination, "irc");
  EXPECT_EQ(ralph.rules[1].deliveries.size(), 1u);  // "my packages" still emails
  EXPECT_EQ(app_->counters().unsubscribes.load(), 1u);
}

TEST_F(WebSecurity, DemoSignInIsRefusedOnANonLoopbackListener) {
  auto wide = start("0.0.0.0", true);
  ASSERT_NE(wide, nullptr);
  const HttpReply r = http_request(
      "POST", "http://127.0.0.1:" + std::to_string(wide->port()) + "/api/v1/session/demo", {kJson},
      "{\"user\":\"ralph\"}");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("Set-Cookie"), "");
}

TEST_F(WebSecurity, DemoSignInIsRefusedWhenNotEnabledOrCrossSite) {
  auto closed = start("127.0.0.1", false);
  ASSERT_NE(closed, nullptr);
  EXPECT_EQ(
      http_request("POST",
                   "http://127.0.0.1:" + std::to_string(closed->port()) + "/api/v1/session/demo",
                   {kJson}, "{\"user\":\"ralph\"}")
          .status,
      403);
  // A cross-site form can only send form encodings, never application/json.
  EXPECT_EQ(http_request("POST", base_ + "/api/v1/session/demo",
                         {"Content-Type: application/x-www-form-urlencoded"}, "user=ralph")
                .status,
            415);
  EXPECT_EQ(
      http_request("POST", base_ + "/api/v1/session/demo", {kJson}, "{\"user\":\"nobody\"}").status,
      403);
}

}  // namespace
}  // namespace fmn::web
