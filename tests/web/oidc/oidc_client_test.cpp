#include "web/oidc/oidc_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "core/log.h"
#include "tests/support/fake_clock.h"
#include "tests/web/oidc/claims_builder.h"
#include "tests/web/oidc/fake_http_client.h"
#include "tests/web/oidc/query_params.h"
#include "tests/web/oidc/test_keys.h"
#include "web/oidc/random_token.h"

namespace fmn::oidc {
namespace {

using test::Claims;
using test::TestKey;

const std::string kBase = test::kIssuer;
const std::string kToken = kBase + "/token";
const std::string kUserinfo = kBase + "/userinfo";
constexpr char kSecret[] = "s3cr3t-client-secret";
constexpr char kCode[] = "SplxlOBeZQQYbYS6WxSbIA";

class OidcClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_ = std::make_unique<TestKey>(TestKey::rsa("k1")); }
  static void TearDownTestSuite() { key_.reset(); }

  void SetUp() override {
    http_.answers[kBase + "/.well-known/openid-configuration"] = {
        200, R"({"issuer":")" + kBase + R"(","authorization_endpoint":")" + kBase +
                 R"(/auth","token_endpoint":")" + kToken + R"(","jwks_uri":")" + kBase +
                 R"(/jwks","userinfo_endpoint":")" + kUserinfo + R"("})"};
    http_.answers[kBase + "/jwks"] = {200, test::jwk_set({key_->public_jwk()})};
    config_ = {kBase, test::kClientId, kSecret, "https://fmn.example.org/oidc/callback"};
  }

  std::unique_ptr<OidcClient> make_client() {
    auto client = OidcClient::create(config_, std::make_unique<test::FakeHttpClient>(http_), clock_,
                                     &registry_);
    EXPECT_TRUE(client.ok()) << client.error().message;
    return client.ok() ? std::move(client).value() : nullptr;
  }
  int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch())
        .count();
  }
  // The token endpoint answers with an ID token carrying `claims`.
  void issue(const Claims& claims) {
    http_.answers[kToken] = {200, R"({"access_token":"at-123","token_type":"Bearer","id_token":")" +
                                      key_->sign(key_->header(), claims.json()) + "\"}"};
  }
  Claims claims_for(const PendingSignIn& pending) const {
    Claims claims(now());
    claims.nonce = pending.nonce;
    return claims;
  }

  static inline std::unique_ptr<TestKey> key_;
  test::FakeClock clock_;
  test::FakeHttpClient::State http_;
  metrics::Registry registry_;
  OidcConfig config_;
};

TEST_F(OidcClientTest, BeginAsksForACodeWithPkceStateAndNonce) {
  auto client = make_client();
  auto start = client->begin();
  ASSERT_TRUE(start.ok()) << start.error().message;
  EXPECT_TRUE(start->url.starts_with(kBase + "/auth?"));
  auto q = test::query_params(start->url);
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["client_id"], "fmn-web");
  EXPECT_EQ(q["redirect_uri"], "https://fmn.example.org/oidc/callback");
  EXPECT_EQ(q["scope"], "openid profile");
  EXPECT_NE(start->url.find("scope=openid%20profile&"), std::string::npos);
  EXPECT_EQ(q["state"], start->pending.state);
  EXPECT_EQ(q["nonce"], start->pending.nonce);
  EXPECT_EQ(q["code_challenge"], pkce_challenge_s256(start->pending.code_verifier));
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(q.count("code_verifier"), 0u);
  EXPECT_EQ(start->pending.code_verifier.size(), 43u);

  auto again = client->begin();
  EXPECT_NE(again->pending.state, start->pending.state);
  EXPECT_NE(again->pending.nonce, start->pending.nonce);
  EXPECT_NE(again->pending.code_verifier, start->pending.code_verifier);
}

TEST_F(OidcClientTest, FinishExchangesTheCodeAndNamesTheUser) {
  auto client = make_client();
  auto start = client->begin();
  issue(claims_for(start->pending));
  auto who = client->finish({kCode, start->pending.state, kBase}, start->pending);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->username, "alice");
  EXPECT_EQ(who->subject, "f3c1a7");

  ASSERT_EQ(http_.count(kToken), 1u);
  const auto& post = *std::find_if(http_.requests.begin(), http_.requests.end(),
                                   [](const auto& r) { return r.url == kToken; });
  EXPECT_EQ(post.auth.user, "fmn-web");
  EXPECT_EQ(post.auth.password, kSecret);
  auto form = test::query_params("?" + post.body);
  EXPECT_EQ(form["grant_type"], "authorization_code");
  EXPECT_EQ(form["code"], kCode);
  EXPECT_EQ(form["code_verifier"], start->pending.code_verifier);
  EXPECT_EQ(form["redirect_uri"], "https://fmn.example.org/oidc/callback");
  EXPECT_NE(registry_.render().find(R"(fmn_oidc_sign_ins_total{outcome="ok"} 1)"),
            std::string::npos);
}

TEST_F(OidcClientTest, TheUsernameClaimIsConfigurable) {
  config_.username_claim = "sub";
  auto client = make_client();
  auto start = client->begin();
  issue(claims_for(start->pending));
  auto who = client->finish({kCode, start->pending.state}, start->pending);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->username, "f3c1a7");
}

TEST_F(OidcClientTest, AMissingUsernameClaimIsAskedOfUserinfoForTheSameSubject) {
  auto client = make_client();
  auto start = client->begin();
  Claims claims = claims_for(start->pending);
  claims.preferred_username.reset();
  issue(claims);
  http_.answers[kUserinfo] = {200, R"({"sub":"f3c1a7","preferred_username":"bob"})"};
  auto who = client->finish({kCode, start->pending.state}, start->pending);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->username, "bob");
  EXPECT_EQ(http_.requests.back().bearer, "at-123");

  http_.answers[kUserinfo] = {200, R"({"sub":"someone-else","preferred_username":"mallory"})"};
  auto other = client->finish({kCode, start->pending.state}, start->pending);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("another subject"), std::string::npos);
}

TEST_F(OidcClientTest, AStateFromAnotherSignInIsRefusedBeforeTheCodeIsSpent) {
  auto client = make_client();
  auto start = client->begin();
  auto other = client->begin();
  issue(claims_for(start->pending));
  auto who = client->finish({kCode, other->pending.state}, start->pending);
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.error().code, ErrorCode::kBadEnvelope);
  EXPECT_EQ(http_.count(kToken), 0u);
  EXPECT_FALSE(client->finish({kCode, ""}, PendingSignIn{}).ok());
  EXPECT_FALSE(
      client->finish({kCode, start->pending.state, "https://evil.example.org"}, start->pending)
          .ok());
}

TEST_F(OidcClientTest, ATokenIssuedForAnotherSignInIsRefused) {
  auto client = make_client();
  auto start = client->begin();
  issue(Claims(now()));  // the nonce of some other sign-in
  auto who = client->finish({kCode, start->pending.state}, start->pending);
  ASSERT_FALSE(who.ok());
  EXPECT_NE(who.error().message.find("wrong nonce"), std::string::npos);
  EXPECT_NE(registry_.render().find(R"(fmn_oidc_sign_ins_total{outcome="refused"} 1)"),
            std::string::npos);
}

TEST_F(OidcClientTest, SecretsAppearNeitherInErrorsNorInLogs) {
  std::FILE* log_file = std::tmpfile();
  log::configure(log::Level::kDebug, log::Format::kText, log_file);
  auto client = make_client();
  auto start = client->begin();
  // A provider refusing the code and echoing the request back in its description.
  http_.answers[kToken] = {400, std::string(R"({"error":"invalid_grant","error_description":")") +
                                    kCode + " " + kSecret + " " + start->pending.code_verifier +
                                    "\"}"};
  auto who = client->finish({kCode, start->pending.state}, start->pending);
  http_.answers.erase(kToken);
  auto unreachable = client->finish({kCode, start->pending.state}, start->pending);
  log::configure(log::Level::kInfo, log::Format::kText, stderr);

  ASSERT_FALSE(who.ok());
  ASSERT_FALSE(unreachable.ok());
  EXPECT_EQ(unreachable.error().code, ErrorCode::kIo);
  EXPECT_NE(who.error().message.find("invalid_grant"), std::string::npos);
  std::rewind(log_file);
  std::string logged;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, log_file)) > 0;) logged.append(buf, n);
  std::fclose(log_file);
  EXPECT_NE(logged.find("oidc_sign_in_refused"), std::string::npos) << logged;
  for (const std::string& secret : {std::string(kCode), std::string(kSecret),
                                    start->pending.code_verifier, std::string("at-123")}) {
    for (const std::string& text : {who.error().message, unreachable.error().message, logged}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in: " << text;
    }
  }
}

TEST_F(OidcClientTest, CreateRefusesAnIncompleteOrUnsafeConfiguration) {
  auto refuse = [&](OidcConfig config, const std::string& why) {
    auto client = OidcClient::create(config, std::make_unique<test::FakeHttpClient>(http_), clock_,
                                     &registry_);
    ASSERT_FALSE(client.ok()) << why;
    EXPECT_EQ(client.error().code, ErrorCode::kInvalidConfig);
    EXPECT_NE(client.error().message.find(why), std::string::npos) << client.error().message;
    EXPECT_EQ(client.error().message.find(kSecret), std::string::npos);
  };
  OidcConfig c = config_;
  c.scopes = {"profile"};
  refuse(c, "openid");
  c = config_;
  c.issuer = "http://id.example.org";
  refuse(c, "https");
  c = config_;
  c.client_secret = "";
  refuse(c, "client secret");
  c = config_;
  c.issuer = kBase + "/other";  // discovery answers for another issuer
  http_.answers[c.issuer + "/.well-known/openid-configuration"] =
      http_.answers[kBase + "/.well-known/openid-configuration"];
  refuse(c, "issuer");
}

}  // namespace
}  // namespace fmn::oidc
