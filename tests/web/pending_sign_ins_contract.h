// The OpenID Connect sign-ins in progress: each used once, expiring, bounded.
#include "web/pending_sign_ins.h"

#include <gtest/gtest.h>

#include "tests/support/fake_clock.h"

namespace fmn::web {
namespace {

oidc::PendingSignIn pending(const std::string& state) {
  return {state, "nonce-" + state, "verifier-" + state};
}

TEST(PendingSignIns, HandsOutEachSignInOnce) {
  test::FakeClock clock;
  PendingSignIns store({}, clock);
  store.add(pending("s1"));
  auto taken = store.take("s1");
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->nonce, "nonce-s1");
  EXPECT_EQ(taken->code_verifier, "verifier-s1");
  EXPECT_FALSE(store.take("s1").has_value());
  EXPECT_FALSE(store.take("never-issued").has_value());
  EXPECT_EQ(store.size(), 0u);
}

TEST(PendingSignIns, ForgetsSignInsOlderThanTheirTtl) {
  test::FakeClock clock;
  PendingSignIns store({.ttl = std::chrono::seconds(60)}, clock);
  store.add(pending("old"));
  clock.advance(std::chrono::seconds(30));
  store.add(pending("young"));
  clock.advance(std::chrono::seconds(30));
  EXPECT_FALSE(store.take("old").has_value());
  EXPECT_TRUE(store.take("young").has_value());
}

TEST(PendingSignIns, EvictsTheOldestWhenFull) {
  test::FakeClock clock;
  PendingSignIns store({.capacity = 3}, clock);
  for (const char* state : {"a", "b", "c", "d", "e"}) {
    store.add(pending(state));
    clock.advance(std::chrono::seconds(1));
  }
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.take("a").has_value());
  EXPECT_FALSE(store.take("b").has_value());
  for (const char* state : {"c", "d", "e"}) EXPECT_TRUE(store.take(state).has_value()) << state;
}

TEST(PendingSignIns, KeepsTheFirstOfTwoSignInsWithOneState) {
  test::FakeClock clock;
  PendingSignIns store({}, clock);
  store.add(pending("s"));
  oidc::PendingSignIn second = pending("s");
  second.nonce = "another";
  store.add(second);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.take("s")->nonce, "nonce-s");
}

}  // namespace
}  // namespace fmn::web
