// Signing in to the web app through a real OpenID provider (npm's oidc-provider,
// tests/support/oidc_provider.h): /oidc/login, the provider's forms, the app's callback, then
// the API answers for the signed-in user. Callbacks the app did not start, or starts once, are
// refused.
#include <gtest/gtest.h>

#include <fstream>

#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "tests/support/loopback.h"
#include "tests/support/oidc_form_login.h"
#include "tests/support/oidc_provider.h"
#include "tests/support/temp_dir.h"
#include "tests/web/http_test_client.h"
#include "tests/web/oidc/query_params.h"
#include "web/web_app.h"

namespace fmn::web {
namespace {

using test::http_request;
using test::HttpReply;

constexpr char kPrefs[] = R"(version = 1

[[users]]
name = "alice"

[[users.destinations]]
kind = "email"
address = "alice@example.org"

[[users.rules]]
name = "mentions me"
source = '$me in usernames'
deliver = [{ to = "email" }]
)";

class WebOidcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = test::TempDir::create("web-oidc");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(dir).value());
    const std::string prefs = (*dir_ / "prefs.toml").string();
    std::ofstream(prefs) << kPrefs;
    auto port = test::pick_free_port();
    ASSERT_TRUE(port.ok());
    base_ = "http://127.0.0.1:" + std::to_string(*port);
    redirect_uri_ = base_ + "/oidc/callback";
    auto idp = test::OidcProvider::start({redirect_uri_});
    ASSERT_TRUE(idp.ok()) << idp.error().message;
    idp_.emplace(std::move(idp).value());
    oidc::OidcConfig oidc{idp_->issuer(), test::kOidcRs256Client.id, test::kOidcRs256Client.secret,
                          redirect_uri_};
    auto client = oidc::OidcClient::create(oidc);
    ASSERT_TRUE(client.ok()) << client.error().message;
    client_ = std::move(client).value();
    WebAppConfig config;
    config.unsubscribe_secret = "0123456789abcdef0123456789abcdef";
    config.oidc = client_;
    HttpServerConfig server;
    server.port = *port;
    auto app = WebApp::start(config, server,
                             std::make_unique<prefs::FileStore>(prefs, prefs::dsl_rule_validator()),
                             std::make_shared<dsl::RuleCompiler>());
    ASSERT_TRUE(app.ok()) << app.error().message;
    app_ = std::move(app).value();
  }

  // GET /oidc/login: the provider's authorization URL the app redirects to.
  std::string login() {
    const HttpReply r = http_request("GET", base_ + "/oidc/login");
    EXPECT_EQ(r.status, 302) << r.body;
    return r.header("Location");
  }
  // The browser at the provider: forms filled in, up to the redirect to the app's callback.
  std::string through_provider(const std::string& authorization_url, const std::string& user) {
    auto landed = test::sign_in_through_forms(authorization_url, redirect_uri_, user);
    EXPECT_TRUE(landed.ok()) << landed.error().message << "\n" << idp_->log_text();
    return landed.ok() ? *landed : "";
  }
  static std::string state_of(const std::string& url) { return test::query_params(url)["state"]; }
  uint64_t refused() const { return app_->counters().oidc_refused.load(); }

  std::optional<test::TempDir> dir_;
  std::string base_, redirect_uri_;
  std::optional<test::OidcProvider> idp_;
  std::shared_ptr<oidc::OidcClient> client_;
  std::unique_ptr<WebApp> app_;
};

TEST_F(WebOidcTest, SignsInThroughTheProviderAndTheSessionIsThatUsers) {
  const HttpReply options = http_request("GET", base_ + "/api/v1/session/options");
  EXPECT_EQ(options.body, R"({"demo":false,"oidc":true})");
  const std::string callback = through_provider(login(), "alice");
  ASSERT_TRUE(callback.starts_with(redirect_uri_ + "?")) << callback;

  const HttpReply signed_in = http_request("GET", callback);
  EXPECT_EQ(signed_in.status, 303) << signed_in.body;
  EXPECT_EQ(signed_in.header("Location"), "/");
  const std::string set_cookie = signed_in.header("Set-Cookie");
  ASSERT_TRUE(set_cookie.starts_with("fmn_session=")) << set_cookie;
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  const std::string cookie = "Cookie: " + set_cookie.substr(0, set_cookie.find(';'));

  const HttpReply rules = http_request("GET", base_ + "/api/v1/rules", {cookie});
  EXPECT_EQ(rules.status, 200) << rules.body;
  EXPECT_NE(rules.body.find(R"("user":"alice")"), std::string::npos) << rules.body;
  EXPECT_NE(rules.body.find(R"("name":"mentions me")"), std::string::npos) << rules.body;
  const HttpReply session = http_request("GET", base_ + "/api/v1/session", {cookie});
  EXPECT_NE(session.body.find(R"("user":"alice")"), std::string::npos) << session.body;
  EXPECT_EQ(refused(), 0u);
}

TEST_F(WebOidcTest, RefusesAReplayedCallback) {
  const std::string callback = through_provider(login(), "alice");
  EXPECT_EQ(http_request("GET", callback).status, 303);
  const HttpReply replayed = http_request("GET", callback);
  EXPECT_EQ(replayed.status, 403);
  EXPECT_TRUE(replayed.header("Set-Cookie").empty());
  EXPECT_NE(replayed.body.find("already used"), std::string::npos) << replayed.body;
  EXPECT_EQ(refused(), 1u);
}

TEST_F(WebOidcTest, RefusesACallbackWithAWrongState) {
  const std::string callback = through_provider(login(), "alice");
  const std::string state = state_of(callback);
  ASSERT_FALSE(state.empty());
  // A state the app never issued.
  std::string forged = callback;
  forged.replace(forged.find(state), state.size(), std::string(state.size(), 'A'));
  EXPECT_EQ(http_request("GET", forged).status, 403);
  // The state of another sign-in in progress: its verifier and nonce do not fit this code.
  const std::string other_state = state_of(login());
  std::string swapped = callback;
  swapped.replace(swapped.find(state), state.size(), other_state);
  const HttpReply r = http_request("GET", swapped);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(r.header("Set-Cookie").empty());
  EXPECT_EQ(refused(), 2u);
}

TEST_F(WebOidcTest, RefusesACallbackWithoutAPendingSignIn) {
  // A sign-in the provider completed but this app did not start (or has forgotten).
  auto start = client_->begin();
  ASSERT_TRUE(start.ok());
  const std::string callback = through_provider(start->url, "alice");
  const HttpReply r = http_request("GET", callback);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(r.header("Set-Cookie").empty());
  EXPECT_EQ(http_request("GET", redirect_uri_).status, 400);
  EXPECT_EQ(refused(), 2u);
}

TEST(WebOidcOff, WithoutAClientTheRoutesAreAbsent) {
  auto dir = test::TempDir::create("web-oidc-off");
  ASSERT_TRUE(dir.ok());
  WebAppConfig config;
  auto app = WebApp::start(config, {},
                           std::make_unique<prefs::FileStore>((*dir / "prefs.toml").string(),
                                                              prefs::dsl_rule_validator()),
                           std::make_shared<dsl::RuleCompiler>());
  ASSERT_TRUE(app.ok());
  const std::string base = "http://127.0.0.1:" + std::to_string((*app)->port());
  EXPECT_EQ(http_request("GET", base + "/oidc/login").status, 404);
  EXPECT_EQ(http_request("GET", base + "/oidc/callback?code=c&state=s").status, 404);
  EXPECT_EQ(http_request("GET", base + "/api/v1/session/options").body,
            R"({"demo":false,"oidc":false})");
}

}  // namespace
}  // namespace fmn::web
