#include "core/secret_equal.h"

#include <gtest/gtest.h>

#include <string>

namespace fmn {
namespace {

TEST(SecretsEqual, IsTrueOnlyForTheSameBytes) {
  EXPECT_TRUE(secrets_equal("s3cret-token", "s3cret-token"));
  EXPECT_TRUE(secrets_equal("", ""));
  EXPECT_FALSE(secrets_equal("s3cret-token", "s3cret-tokem"));
  EXPECT_FALSE(secrets_equal("s3cret-token", "S3cret-token"));
  EXPECT_FALSE(secrets_equal("s3cret-token", "s3cret-token "));
  EXPECT_FALSE(secrets_equal("s3cret", ""));
}

TEST(SecretsEqual, ComparesEmbeddedNulBytesToo) {
  const std::string a("ab\0cd", 5);
  const std::string b("ab\0ce", 5);
  EXPECT_TRUE(secrets_equal(a, std::string("ab\0cd", 5)));
  EXPECT_FALSE(secrets_equal(a, b));
  EXPECT_FALSE(secrets_equal(a, "ab"));
}

}  // namespace
}  // namespace fmn
