#include "web/oidc/id_token_verifier.h"

#include <gtest/gtest.h>

#include "tests/support/fake_clock.h"
#include "tests/web/oidc/claims_builder.h"
#include "tests/web/oidc/fake_http_client.h"
#include "tests/web/oidc/test_keys.h"
#include "web/oidc/base64url.h"

namespace fmn::oidc {
namespace {

using test::Claims;
using test::TestKey;

constexpr char kJwksUri[] = "https://id.example.org/jwks";

class IdTokenVerifierTest : public ::testing::Test {
 protected:
  // Made once: RSA key generation takes a while.
  static void SetUpTestSuite() {
    rsa_ = std::make_unique<TestKey>(TestKey::rsa("rsa-1"));
    ec_ = std::make_unique<TestKey>(TestKey::ec_p256("ec-1"));
  }
  static void TearDownTestSuite() {
    rsa_.reset();
    ec_.reset();
  }

  void SetUp() override { publish(test::jwk_set({rsa_->public_jwk(), ec_->public_jwk()})); }
  void publish(const std::string& jwks) { http_state_.answers[kJwksUri] = {200, jwks}; }

  int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch())
        .count();
  }
  Result<VerifiedIdToken> verify(const std::string& token, std::string nonce = test::kNonce) {
    IdTokenExpectations want{test::kIssuer, test::kClientId, std::move(nonce),
                             std::chrono::seconds(60)};
    return verify_id_token(token, want, cache_, clock_.wall());
  }
  // The verification must fail as a refusal, naming `why`.
  void expect_refused(const std::string& token, const std::string& why) {
    auto result = verify(token);
    ASSERT_FALSE(result.ok()) << "accepted: " << why;
    EXPECT_EQ(result.error().code, ErrorCode::kBadEnvelope);
    EXPECT_NE(result.error().message.find(why), std::string::npos) << result.error().message;
  }

  static inline std::unique_ptr<TestKey> rsa_;
  static inline std::unique_ptr<TestKey> ec_;
  test::FakeClock clock_;
  test::FakeHttpClient::State http_state_;
  test::FakeHttpClient http_{http_state_};
  JwksCache cache_{http_, kJwksUri, clock_};
};

TEST_F(IdTokenVerifierTest, AcceptsATokenSignedWithRs256) {
  auto result = verify(rsa_->sign(rsa_->header(), Claims(now()).json()));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->subject, "f3c1a7");
  EXPECT_NE(result->claims_json.find("\"preferred_username\":\"alice\""), std::string::npos);
}

TEST_F(IdTokenVerifierTest, AcceptsATokenSignedWithEs256) {
  auto result = verify(ec_->sign(ec_->header(), Claims(now()).json()));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->subject, "f3c1a7");
}

TEST_F(IdTokenVerifierTest, RefusesAnAlteredPayload) {
  const std::string token = rsa_->sign(rsa_->header(), Claims(now()).json());
  Claims other(now());
  other.sub = "mallory";
  const size_t first = token.find('.');
  const size_t second = token.find('.', first + 1);
  const std::string forged =
      token.substr(0, first + 1) + base64url_encode(other.json()) + token.substr(second);
  expect_refused(forged, "bad signature");
}

TEST_F(IdTokenVerifierTest, RefusesATokenSignedByAnotherKeyUnderAKnownKid) {
  const TestKey stranger = TestKey::rsa("rsa-1");  // same kid, not the provider's key
  expect_refused(stranger.sign(rsa_->header(), Claims(now()).json()), "bad signature");
  const TestKey ec_stranger = TestKey::ec_p256("ec-1");
  expect_refused(ec_stranger.sign(ec_->header(), Claims(now()).json()), "bad signature");
}

TEST_F(IdTokenVerifierTest, RefusesAnUnsignedToken) {
  expect_refused(test::unsigned_token(R"({"alg":"none"})", Claims(now()).json()),
                 "algorithm 'none' not accepted");
  expect_refused(test::unsigned_token(R"({"alg":"none","kid":"rsa-1"})", Claims(now()).json()),
                 "algorithm 'none' not accepted");
}

TEST_F(IdTokenVerifierTest, RefusesHs256KeyedWithThePublicKey) {
  // The classic confusion: a verifier that picks the algorithm from the header would use the
  // provider's public key, which anyone can fetch, as the HMAC secret.
  expect_refused(test::sign_hs256(R"({"alg":"HS256","kid":"rsa-1"})", Claims(now()).json(),
                                  rsa_->public_jwk()),
                 "algorithm 'HS256' not accepted");
}

TEST_F(IdTokenVerifierTest, RefusesAnAlgorithmThatDoesNotFitTheKey) {
  // ES256 claimed, kid of the RSA key: an ECDSA signature never verifies with an RSA key.
  expect_refused(ec_->sign(R"({"alg":"ES256","kid":"rsa-1"})", Claims(now()).json()),
                 "bad signature");
}

TEST_F(IdTokenVerifierTest, RefusesACritHeaderAndMalformedTokens) {
  expect_refused(
      rsa_->sign(R"({"alg":"RS256","kid":"rsa-1","crit":["exp"]})", Claims(now()).json()), "crit");
  expect_refused("abc.def", "three");
  expect_refused("a*b.c.d", "base64url");
  expect_refused(rsa_->sign(R"({"kid":"rsa-1"})", Claims(now()).json()), "no \"alg\"");
}

TEST_F(IdTokenVerifierTest, RefusesTheWrongAudienceOrAuthorizedParty) {
  Claims claims(now());
  claims.aud_json = R"("another-client")";
  expect_refused(rsa_->sign(rsa_->header(), claims.json()), "audience");

  claims.aud_json = R"(["fmn-web","another-client"])";
  expect_refused(rsa_->sign(rsa_->header(), claims.json()), "no authorized party");
  claims.azp = "another-client";
  expect_refused(rsa_->sign(rsa_->header(), claims.json()), "authorized party is not");
  claims.azp = "fmn-web";
  EXPECT_TRUE(verify(rsa_->sign(rsa_->header(), claims.json())).ok());
}

TEST_F(IdTokenVerifierTest, RefusesTheWrongIssuer) {
  Claims claims(now());
  claims.iss = "https://evil.example.org";
  expect_refused(rsa_->sign(rsa_->header(), claims.json()), "wrong issuer");
}

TEST_F(IdTokenVerifierTest, RefusesAnExpiredTokenBeyondTheLeeway) {
  Claims claims(now() - 3600);
  claims.exp = now() - 61;
  expect_refused(rsa_->sign(rsa_->header(), claims.json()), "expired");
  claims.exp = now() - 59;  // within the minute of leeway
  EXPECT_TRUE(verify(rsa_->sign(rsa_->header(), claims.json())).ok());
}

TEST_F(IdTokenVerifierTest, RefusesATokenFromTheFutureOrNotValidYet) {
  Claims claims(now() + 120);
  expect_refused(rsa_->sign(rsa_->header(), claims.json()), "issued in the future");
  Claims early(now());
  early.nbf = now() + 120;
  expect_refused(rsa_->sign(rsa_->header(), early.json()), "not valid yet");
}

TEST_F(IdTokenVerifierTest, RefusesTheWrongOrAMissingNonce) {
  const std::string token = rsa_->sign(rsa_->header(), Claims(now()).json());
  auto result = verify(token, "another-sign-in");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("wrong nonce"), std::string::npos);
  Claims claims(now());
  claims.nonce.reset();
  expect_refused(rsa_->sign(rsa_->header(), claims.json()), "wrong nonce");
}

TEST_F(IdTokenVerifierTest, RefusesATokenWithoutSubject) {
  Claims claims(now());
  claims.sub = "";
  expect_refused(rsa_->sign(rsa_->header(), claims.json()), "no subject");
}

TEST_F(IdTokenVerifierTest, AnUnknownKidFetchesTheKeysAgainOnce) {
  ASSERT_TRUE(verify(rsa_->sign(rsa_->header(), Claims(now()).json())).ok());
  EXPECT_EQ(http_state_.count(kJwksUri), 1u);

  // The provider rotates to a new key; the cache learns it from the first token naming it.
  const TestKey rotated = TestKey::rsa("rsa-2");
  publish(test::jwk_set({rotated.public_jwk()}));
  clock_.advance(std::chrono::seconds(11));
  auto result = verify(rotated.sign(rotated.header(), Claims(now()).json()));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(http_state_.count(kJwksUri), 2u);
}

TEST_F(IdTokenVerifierTest, AnUnknownKidIsRefusedAndRefetchesAreRateLimited) {
  ASSERT_TRUE(verify(rsa_->sign(rsa_->header(), Claims(now()).json())).ok());
  const TestKey stranger = TestKey::rsa("invented");
  clock_.advance(std::chrono::seconds(11));
  expect_refused(stranger.sign(stranger.header(), Claims(now()).json()), "no provider key");
  EXPECT_EQ(http_state_.count(kJwksUri), 2u);
  for (int i = 0; i < 5; ++i) {
    expect_refused(stranger.sign(stranger.header(), Claims(now()).json()), "no provider key");
  }
  EXPECT_EQ(http_state_.count(kJwksUri), 2u) << "refetched within the interval";
}

TEST_F(IdTokenVerifierTest, WithoutKidEveryKeyOfTheAlgorithmsTypeIsTried) {
  auto result = verify(ec_->sign(R"({"alg":"ES256"})", Claims(now()).json()));
  ASSERT_TRUE(result.ok()) << result.error().message;
}

TEST_F(IdTokenVerifierTest, AProviderThatCannotBeReachedIsNotARefusal) {
  http_state_.answers.clear();
  const std::string token = rsa_->sign(rsa_->header(), Claims(now()).json());
  auto result = verify(token);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kIo);
  auto again = verify(token);  // within the refetch interval: the same answer, no fetch
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kIo);
  EXPECT_EQ(http_state_.count(kJwksUri), 1u);

  publish(test::jwk_set({rsa_->public_jwk(), ec_->public_jwk()}));  // the provider is back
  clock_.advance(std::chrono::seconds(11));
  EXPECT_TRUE(verify(token).ok());
}

}  // namespace
}  // namespace fmn::oidc
