#include "web/oidc/provider_metadata.h"

#include <gtest/gtest.h>

#include "tests/web/oidc/test_keys.h"
#include "web/oidc/jwk_set.h"

namespace fmn::oidc {
namespace {

std::string discovery(const std::string& issuer, const std::string& jwks_uri) {
  return R"({"issuer":")" + issuer + R"(","authorization_endpoint":")" + issuer +
         R"(/auth","token_endpoint":")" + issuer + R"(/token","jwks_uri":")" + jwks_uri + "\"}";
}

TEST(ProviderMetadataTest, ReadsTheEndpoints) {
  auto meta = parse_provider_metadata(
      discovery("https://id.example.org", "https://id.example.org/k"), "https://id.example.org");
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  EXPECT_EQ(meta->token_endpoint, "https://id.example.org/token");
  EXPECT_EQ(meta->jwks_uri, "https://id.example.org/k");
  EXPECT_EQ(meta->userinfo_endpoint, "");
}

TEST(ProviderMetadataTest, RefusesADocumentNamingAnotherIssuer) {
  auto meta = parse_provider_metadata(discovery("https://evil.example.org", "https://e/k"),
                                      "https://id.example.org");
  ASSERT_FALSE(meta.ok());
  EXPECT_EQ(meta.error().code, ErrorCode::kInvalidConfig);
  EXPECT_NE(meta.error().message.find("issuer"), std::string::npos);
}

TEST(ProviderMetadataTest, RefusesPlainHttpEndpointsOffLoopback) {
  auto meta = parse_provider_metadata(
      discovery("https://id.example.org", "http://id.example.org/k"), "https://id.example.org");
  ASSERT_FALSE(meta.ok());
  EXPECT_NE(meta.error().message.find("jwks_uri"), std::string::npos);
  EXPECT_TRUE(is_acceptable_endpoint("http://127.0.0.1:8080/x"));
  EXPECT_TRUE(is_acceptable_endpoint("http://localhost/x"));
  EXPECT_FALSE(is_acceptable_endpoint("http://localhost.evil.org/x"));
  EXPECT_FALSE(is_acceptable_endpoint("http://127.0.0.1.evil.org/x"));
}

TEST(JwkSetTest, KeepsSigningKeysItCanUseAndSkipsTheRest) {
  const auto rsa = test::TestKey::rsa("r");
  const auto ec = test::TestKey::ec_p256("e");
  const std::string set =
      test::jwk_set({rsa.public_jwk(), ec.public_jwk(), R"({"kty":"oct","k":"c2VjcmV0"})",
                     R"({"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"})",
                     R"({"kty":"RSA","kid":"short","n":"AQAB","e":"AQAB"})",
                     R"({"kty":"EC","crv":"P-256","kid":"off-curve","x":"AQ","y":"AQ"})"});
  auto keys = parse_jwk_set(set);
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].kid, "r");
  EXPECT_EQ((*keys)[0].type, KeyType::kRsa);
  EXPECT_EQ((*keys)[1].kid, "e");
  EXPECT_EQ((*keys)[1].type, KeyType::kEcP256);
  EXPECT_FALSE(parse_jwk_set(R"({"keys":{}})").ok());
  EXPECT_FALSE(parse_jwk_set("[]").ok());
}

}  // namespace
}  // namespace fmn::oidc
