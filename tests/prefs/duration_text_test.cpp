#include "prefs/duration_text.h"

#include <gtest/gtest.h>

namespace fmn::prefs {
namespace {

TEST(DurationText, ParsesUnitsInOrder) {
  EXPECT_EQ(parse_duration("45s"), 45u);
  EXPECT_EQ(parse_duration("90m"), 5400u);
  EXPECT_EQ(parse_duration("1h30m"), 5400u);
  EXPECT_EQ(parse_duration("1d2h3m4s"), 93784u);
}

TEST(DurationText, RejectsMalformed) {
  for (const char* bad : {"", "h", "10", "1x", "1m1h", "1h1h", "-5m", "1.5h", "400d"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(DurationText, FormatsShortestAndRoundTrips) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(3600), "1h");
  EXPECT_EQ(format_duration(5400), "1h30m");
  EXPECT_EQ(format_duration(86401), "1d1s");
  for (uint32_t s : {1u, 59u, 60u, 3599u, 86400u, 93784u}) {
    EXPECT_EQ(parse_duration(format_duration(s)), s);
  }
}

TEST(DurationText, UtcTimestamps) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(1714564800), "2024-05-01T12:00:00Z");
  EXPECT_EQ(unix_from_civil(2024, 5, 1, 12, 0, 0), 1714564800);
  EXPECT_EQ(unix_from_civil(2000, 2, 29, 23, 59, 59), 951868799);
  EXPECT_EQ(format_utc(951868799), "2000-02-29T23:59:59Z");
}

}  // namespace
}  // namespace fmn::prefs
