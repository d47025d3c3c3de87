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

// Each thread keeps the last key's context: a change of key, back and forth, and keys of every
// length (empty; longer than SHA-256's 64-byte block, which HMAC hashes first) sign as the RFC
// and the well-known empty-key value say.
TEST(HmacSha256Hex, AlternatingKeysEachSignWithTheirOwn) {
  const std::string long_key(131, '\xaa');  // RFC 4231, test case 6
  const std::string_view long_data = "Test Using Larger Than Block-Size Key - Hash Key First";
  const std::string short_key(20, '\x0b');  // RFC 4231, test case 1
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(hmac_sha256_hex(long_key, long_data),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    EXPECT_EQ(hmac_sha256_hex(short_key, "Hi There"),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hmac_sha256_hex(short_key, "Hi There"),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hmac_sha256_hex("", ""),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    EXPECT_EQ(hmac_sha256_hex(kKey, kData),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
}

}  // namespace
}  // namespace fmn
