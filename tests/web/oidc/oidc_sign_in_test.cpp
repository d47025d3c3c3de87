// Sign-in against a real OpenID provider (npm's oidc-provider, tests/support/oidc_provider.h):
// the whole authorization-code flow with PKCE, through the provider's login and consent forms.
#include <gtest/gtest.h>

#include "tests/support/oidc_form_login.h"
#include "tests/support/oidc_provider.h"
#include "tests/web/oidc/query_params.h"
#include "web/oidc/oidc_client.h"

namespace fmn::oidc {
namespace {

// Nobody listens there: the form sign-in stops at the redirect, as a browser would hand it over.
constexpr char kRedirectUri[] = "http://127.0.0.1:9/oidc/callback";

Callback callback_of(const std::string& url) {
  auto q = test::query_params(url);
  return {q["code"], q["state"], q["iss"]};
}

class OidcSignInTest : public ::testing::Test {
 protected:
  void start_provider(bool claims_in_id_token = true) {
    auto idp = test::OidcProvider::start({kRedirectUri, claims_in_id_token});
    ASSERT_TRUE(idp.ok()) << idp.error().message;
    idp_.emplace(std::move(idp).value());
  }
  std::unique_ptr<OidcClient> client_for(const test::OidcTestClient& registered,
                                         std::string username_claim = "preferred_username") {
    OidcConfig config{idp_->issuer(), registered.id, registered.secret, kRedirectUri,
                      std::move(username_claim)};
    auto client = OidcClient::create(config);
    EXPECT_TRUE(client.ok()) << client.error().message;
    return client.ok() ? std::move(client).value() : nullptr;
  }
  // The browser's part: from begin()'s URL through the provider's forms to the callback.
  Callback sign_in_at_provider(const SignInStart& start, const std::string& login) {
    auto landed = test::sign_in_through_forms(start.url, kRedirectUri, login);
    EXPECT_TRUE(landed.ok()) << landed.error().message << "\n" << idp_->log_text();
    return landed.ok() ? callback_of(*landed) : Callback{};
  }

  std::optional<test::OidcProvider> idp_;
};

TEST_F(OidcSignInTest, SignsInWithRs256AndNamesTheUserByTheConfiguredClaim) {
  start_provider();
  auto client = client_for(test::kOidcRs256Client);
  ASSERT_TRUE(client);
  auto start = client->begin();
  ASSERT_TRUE(start.ok());
  const Callback callback = sign_in_at_provider(*start, "alice");
  EXPECT_EQ(callback.iss, idp_->issuer());
  auto who = client->finish(callback, start->pending);
  ASSERT_TRUE(who.ok()) << who.error().message << "\n" << idp_->log_text();
  EXPECT_EQ(who->username, "alice");
  EXPECT_EQ(who->subject, "a7f3c1e0-alice");
  EXPECT_NE(who->claims_json.find("\"name\":\"Alice Tester\""), std::string::npos);
}

TEST_F(OidcSignInTest, SignsInWithEs256) {
  start_provider();
  auto client = client_for(test::kOidcEs256Client);
  ASSERT_TRUE(client);
  auto start = client->begin();
  auto who = client->finish(sign_in_at_provider(*start, "bob"), start->pending);
  ASSERT_TRUE(who.ok()) << who.error().message << "\n" << idp_->log_text();
  EXPECT_EQ(who->username, "bob");
}

TEST_F(OidcSignInTest, AUsernameOnlyTheUserinfoEndpointGivesIsFoundThere) {
  start_provider(/*claims_in_id_token=*/false);
  auto client = client_for(test::kOidcRs256Client);
  ASSERT_TRUE(client);
  auto start = client->begin();
  auto who = client->finish(sign_in_at_provider(*start, "alice"), start->pending);
  ASSERT_TRUE(who.ok()) << who.error().message << "\n" << idp_->log_text();
  EXPECT_EQ(who->claims_json.find("preferred_username"), std::string::npos);
  EXPECT_EQ(who->username, "alice");

  auto by_subject = client_for(test::kOidcRs256Client, "sub");
  auto again = by_subject->begin();
  auto subject = by_subject->finish(sign_in_at_provider(*again, "bob"), again->pending);
  ASSERT_TRUE(subject.ok()) << subject.error().message;
  EXPECT_EQ(subject->username, "b91d2e44-bob");
}

TEST_F(OidcSignInTest, ACodeWorksOnceAndOnlyWithItsOwnVerifierAndNonce) {
  start_provider();
  auto client = client_for(test::kOidcRs256Client);
  ASSERT_TRUE(client);

  // The code verifier of another sign-in: the provider refuses the code (PKCE).
  auto start = client->begin();
  auto other = client->begin();
  const Callback callback = sign_in_at_provider(*start, "alice");
  PendingSignIn wrong_verifier = start->pending;
  wrong_verifier.code_verifier = other->pending.code_verifier;
  auto refused = client->finish(callback, wrong_verifier);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kBadEnvelope);
  EXPECT_NE(refused.error().message.find("invalid_grant"), std::string::npos)
      << refused.error().message;

  // A genuine token, but issued for another sign-in's nonce.
  auto third = client->begin();
  const Callback third_callback = sign_in_at_provider(*third, "alice");
  PendingSignIn wrong_nonce = third->pending;
  wrong_nonce.nonce = other->pending.nonce;
  auto replayed_nonce = client->finish(third_callback, wrong_nonce);
  ASSERT_FALSE(replayed_nonce.ok());
  EXPECT_NE(replayed_nonce.error().message.find("wrong nonce"), std::string::npos)
      << replayed_nonce.error().message;

  // Spent codes are refused: the one used above, then a fresh one after its first use.
  EXPECT_FALSE(client->finish(third_callback, third->pending).ok());
  auto fourth = client->begin();
  const Callback fourth_callback = sign_in_at_provider(*fourth, "bob");
  ASSERT_TRUE(client->finish(fourth_callback, fourth->pending).ok());
  auto replay = client->finish(fourth_callback, fourth->pending);
  ASSERT_FALSE(replay.ok());
  EXPECT_NE(replay.error().message.find("invalid_grant"), std::string::npos);
}

}  // namespace
}  // namespace fmn::oidc
