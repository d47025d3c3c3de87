#include "prefs/confirmation.h"

#include <gtest/gtest.h>

namespace fmn::prefs {
namespace {

TEST(Confirmation, StartsPendingWithAFreshCode) {
  Destination a, b;
  start_confirmation(a, 1000);
  start_confirmation(b, 1000);
  EXPECT_EQ(a.confirmation.state, ConfirmationState::kPending);
  EXPECT_EQ(a.confirmation.code.size(), 16u);
  EXPECT_NE(a.confirmation.code, b.confirmation.code);
  EXPECT_EQ(a.confirmation.expires_at, 1000 + 86400);
}

TEST(Confirmation, AcceptsOnlyTheRightCodeBeforeExpiry) {
  Destination d;
  start_confirmation(d, 1000, std::chrono::seconds(60));
  std::string code = d.confirmation.code;
  EXPECT_EQ(confirm(d, "wrong", 1010), ConfirmOutcome::kWrongCode);
  EXPECT_EQ(confirm(d, code.substr(0, 15), 1010), ConfirmOutcome::kWrongCode);
  EXPECT_EQ(confirm(d, code, 1061), ConfirmOutcome::kExpired);
  EXPECT_EQ(confirm(d, code, 1060), ConfirmOutcome::kConfirmed);
  EXPECT_EQ(d.confirmation.state, ConfirmationState::kConfirmed);
  EXPECT_TRUE(d.confirmation.code.empty());
  EXPECT_EQ(confirm(d, code, 1060), ConfirmOutcome::kNotPending);
}

}  // namespace
}  // namespace fmn::prefs
