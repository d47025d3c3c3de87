// A destination's fresh secret: shown once, kept as its kind keeps it.
#include "prefs/destination_secret.h"

#include <gtest/gtest.h>

#include "core/stored_secret.h"

namespace fmn::prefs {
namespace {

TEST(DestinationSecret, AFeedKeepsOnlyTheDigestOfItsToken) {
  Destination feed;
  feed.kind = DestinationKind::kSse;
  const std::string token = new_destination_secret(feed);
  EXPECT_EQ(token.size(), 32u);
  EXPECT_EQ(feed.token, hash_secret(token));
  EXPECT_TRUE(secret_matches(feed.token, token));

  const std::string rotated = new_destination_secret(feed);
  EXPECT_NE(rotated, token);
  EXPECT_TRUE(secret_matches(feed.token, rotated));
  EXPECT_FALSE(secret_matches(feed.token, token));
}

TEST(DestinationSecret, AWebhookKeepsItsKeyItselfForItsSinkSignsWithIt) {
  Destination hook;
  hook.kind = DestinationKind::kWebhook;
  const std::string key = new_destination_secret(hook);
  EXPECT_EQ(hook.token, key);
}

TEST(DestinationSecret, ATokenStoredAsItselfByOlderToolsStillMatches) {
  EXPECT_TRUE(secret_matches("raw-token-of-bob-0123", "raw-token-of-bob-0123"));
  EXPECT_FALSE(secret_matches("raw-token-of-bob-0123", "raw-token-of-bob-0124"));
  EXPECT_FALSE(secret_matches("", ""));
}

}  // namespace
}  // namespace fmn::prefs
