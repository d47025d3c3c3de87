#include "core/hmac.h"

#include <gtest/gtest.h>

namespace fmn {
namespace {

// RFC 4231, test case 2.
constexpr std::string_view kKey = "Jefe";
constexpr std::string_view kData = "what do ya want for nothing?";

TEST(HmacSha256Hex, MatchesTheRfcTestVector) {
  EXPECT_EQ(hmac_sha256_hex(kKey, kData),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Hex, KeepsTheFirstBytesAskedFor) {
  EXPECT_EQ(hmac_sha256_hex(kKey, kData, 16), "5bdcc146bf60754e6a042426089575c7");
  EXPECT_EQ(hmac_sha256_hex(kKey, kData, 64), hmac_sha256_hex(kKey, kData));
}

}  // namespace
}  // namespace fmn
