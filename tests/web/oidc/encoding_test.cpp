#include <gtest/gtest.h>

#include "web/oidc/base64url.h"
#include "web/oidc/random_token.h"

namespace fmn::oidc {
namespace {

TEST(Base64urlTest, RoundTripsEveryRemainder) {
  for (const std::string bytes : {"", "f", "fo", "foo", "foob", "fooba", "\xff\xfe\xfd\x00"}) {
    const std::string text = base64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos) << text;
    EXPECT_EQ(base64url_decode(text), bytes);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64urlTest, RefusesPaddingOtherAlphabetsAndImpossibleLengths) {
  EXPECT_FALSE(base64url_decode("Zm9vYg==").has_value());
  EXPECT_FALSE(base64url_decode("+/8").has_value());
  EXPECT_FALSE(base64url_decode("Zm9vY").has_value());
  EXPECT_FALSE(base64url_decode("Zm 9v").has_value());
}

TEST(RandomTokenTest, TokensAreUrlSafeAndDistinct) {
  auto a = random_token();
  auto b = random_token();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 43u);  // 32 bytes
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(base64url_decode(*a).has_value());
}

TEST(RandomTokenTest, PkceChallengeIsTheRfc7636Example) {
  // RFC 7636 Appendix B.
  EXPECT_EQ(pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace fmn::oidc
