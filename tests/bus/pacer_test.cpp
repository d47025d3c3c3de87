#include "bus/pacer.h"

#include <gtest/gtest.h>

#include "tests/support/fake_clock.h"

namespace fmn::bus {
namespace {

using test::FakeClock;

using std::chrono::milliseconds;

double seconds_after(Clock::time_point t, Clock::time_point start) {
  return std::chrono::duration<double>(t - start).count();
}

TEST(Pacer, FullSpeedNeverWaits) {
  FakeClock clock;
  Pacer pacer({}, clock);
  EXPECT_TRUE(pacer.full_speed());
  for (int i = 0; i < 3; ++i) pacer.wait(1000.0 * i);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(Pacer, ZeroRateIsFullSpeed) {
  FakeClock clock;
  EXPECT_TRUE(Pacer(PacingOptions::fixed_rate(0), clock).full_speed());
}

TEST(Pacer, FixedRateSpacesMessagesEvenly) {
  FakeClock clock;
  clock.advance(std::chrono::seconds(5));
  Clock::time_point start = clock.steady();
  Pacer pacer(PacingOptions::fixed_rate(4), clock);
  for (int i = 0; i < 5; ++i) {
    EXPECT_DOUBLE_EQ(seconds_after(pacer.due(std::nullopt), start), 0.25 * i);
  }
}

TEST(Pacer, FixedRateCatchesUpAfterFallingBehind) {
  FakeClock clock;
  Clock::time_point start = clock.steady();
  Pacer pacer(PacingOptions::fixed_rate(10), clock);
  pacer.wait(std::nullopt);
  clock.advance(milliseconds(500));  // the consumer stalled for five messages' worth
  for (int i = 1; i <= 5; ++i) pacer.wait(std::nullopt);
  EXPECT_DOUBLE_EQ(seconds_after(clock.steady(), start), 0.5);  // no waiting while behind
  pacer.wait(std::nullopt);
  EXPECT_DOUBLE_EQ(seconds_after(clock.steady(), start), 0.6);
}

TEST(Pacer, RecordedIntervalsScaledBySpeed) {
  FakeClock clock;
  Clock::time_point start = clock.steady();
  PacingOptions options = PacingOptions::recorded(2);
  Pacer pacer(options, clock);
  EXPECT_DOUBLE_EQ(seconds_after(pacer.due(1000.0), start), 0);
  EXPECT_DOUBLE_EQ(seconds_after(pacer.due(1001.0), start), 0.5);
  EXPECT_DOUBLE_EQ(seconds_after(pacer.due(1004.0), start), 2.0);
}

TEST(Pacer, RecordedGapsAreCappedAndDisorderWaitsNothing) {
  FakeClock clock;
  Clock::time_point start = clock.steady();
  PacingOptions options = PacingOptions::recorded(1);
  options.max_gap = std::chrono::seconds(3);
  Pacer pacer(options, clock);
  pacer.due(1000.0);
  EXPECT_DOUBLE_EQ(seconds_after(pacer.due(1000.0 + 86400), start), 3);  // a day: capped
  EXPECT_DOUBLE_EQ(seconds_after(pacer.due(std::nullopt), start), 3);    // no timestamp
  EXPECT_DOUBLE_EQ(seconds_after(pacer.due(500.0), start), 3);           // earlier than before
  EXPECT_DOUBLE_EQ(seconds_after(pacer.due(1000.0 + 86401), start), 4);  // from the latest
}

}  // namespace
}  // namespace fmn::bus
