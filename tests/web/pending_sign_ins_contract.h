// What every PendingSignIns (web/pending_sign_ins.h) must do: hand each sign-in out once, forget
// it after its ttl, evict the oldest when full, keep the first of two with one state. A test
// file instantiates the suite with a factory:
//   struct MyFactory { std::unique_ptr<PendingSignIns> make(PendingSignInsConfig, const Clock&); };
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, PendingSignInsContract, MyFactory);
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/support/fake_clock.h"
#include "web/pending_sign_ins.h"

namespace fmn::web {

template <class Factory>
class PendingSignInsContract : public ::testing::Test {
 protected:
  std::unique_ptr<PendingSignIns> make(PendingSignInsConfig config = {}) {
    return factory_.make(config, clock_);
  }
  static oidc::PendingSignIn pending(const std::string& state) {
    return {state, "nonce-" + state, "verifier-" + state};
  }
  // The sign-in held under `state`, taken; a failed store fails the test.
  static std::optional<oidc::PendingSignIn> take(PendingSignIns& store, const std::string& state) {
    auto taken = store.take(state);
    EXPECT_TRUE(taken.ok()) << taken.error().message;
    return taken.ok() ? *taken : std::nullopt;
  }
  static void add(PendingSignIns& store, oidc::PendingSignIn pending) {
    auto added = store.add(std::move(pending));
    EXPECT_TRUE(added.ok()) << added.error().message;
  }

  test::FakeClock clock_;
  Factory factory_;
};

TYPED_TEST_SUITE_P(PendingSignInsContract);

TYPED_TEST_P(PendingSignInsContract, HandsOutEachSignInOnce) {
  auto store = this->make();
  this->add(*store, this->pending("s1"));
  auto taken = this->take(*store, "s1");
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->state, "s1");
  EXPECT_EQ(taken->nonce, "nonce-s1");
  EXPECT_EQ(taken->code_verifier, "verifier-s1");
  EXPECT_FALSE(this->take(*store, "s1").has_value());
  EXPECT_FALSE(this->take(*store, "never-issued").has_value());
}

TYPED_TEST_P(PendingSignInsContract, ForgetsSignInsOlderThanTheirTtl) {
  auto store = this->make({.ttl = std::chrono::seconds(60)});
  this->add(*store, this->pending("old"));
  this->clock_.advance(std::chrono::seconds(30));
  this->add(*store, this->pending("young"));
  this->clock_.advance(std::chrono::seconds(30));
  EXPECT_FALSE(this->take(*store, "old").has_value());
  EXPECT_TRUE(this->take(*store, "young").has_value());
}

TYPED_TEST_P(PendingSignInsContract, EvictsTheOldestWhenFull) {
  auto store = this->make({.capacity = 3});
  for (const char* state : {"a", "b", "c", "d", "e"}) {
    this->add(*store, this->pending(state));
    this->clock_.advance(std::chrono::seconds(1));
  }
  EXPECT_FALSE(this->take(*store, "a").has_value());
  EXPECT_FALSE(this->take(*store, "b").has_value());
  for (const char* state : {"c", "d", "e"}) {
    EXPECT_TRUE(this->take(*store, state).has_value()) << state;
  }
}

TYPED_TEST_P(PendingSignInsContract, KeepsTheFirstOfTwoSignInsWithOneState) {
  auto store = this->make();
  this->add(*store, this->pending("s"));
  oidc::PendingSignIn second = this->pending("s");
  second.nonce = "another";
  this->add(*store, second);
  auto taken = this->take(*store, "s");
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->nonce, "nonce-s");
  EXPECT_FALSE(this->take(*store, "s").has_value());
}

REGISTER_TYPED_TEST_SUITE_P(PendingSignInsContract, HandsOutEachSignInOnce,
                            ForgetsSignInsOlderThanTheirTtl, EvictsTheOldestWhenFull,
                            KeepsTheFirstOfTwoSignInsWithOneState);

}  // namespace fmn::web
