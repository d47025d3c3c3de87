#include "core/delivery_window.h"

#include <gtest/gtest.h>

namespace fmn {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// "2024-03-31T06:00:00Z" as a WallTime.
WallTime utc(int year, unsigned month, unsigned day, int hour, int minute = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = static_cast<int>(month) - 1;
  tm.tm_mday = static_cast<int>(day);
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

constexpr std::string_view kPrague = "Europe/Prague";

TEST(DeliveryWindow, TimeOfDayIsLocalToTheZone) {
  // 2024-05-01 12:00Z is 14:00 in Prague (CEST, UTC+2): 08:00 is tomorrow, 06:00Z.
  EXPECT_EQ(next_time_of_day(kPrague, 8 * 60, utc(2024, 5, 1, 12)), utc(2024, 5, 2, 6));
  EXPECT_EQ(next_time_of_day(kPrague, 15 * 60, utc(2024, 5, 1, 12)), utc(2024, 5, 1, 13));
  EXPECT_EQ(next_time_of_day("", 8 * 60, utc(2024, 5, 1, 12)), utc(2024, 5, 2, 8));
}

TEST(DeliveryWindow, TheTimeItselfIsNotAfterItself) {
  EXPECT_EQ(next_time_of_day(kPrague, 8 * 60, utc(2024, 5, 2, 6)), utc(2024, 5, 3, 6));
}

TEST(DeliveryWindow, MorningDigestsAcrossSpringForwardHappenOncePerDay) {
  // Prague moves from CET (UTC+1) to CEST (UTC+2) at 2024-03-31 02:00 local.
  WallTime t = utc(2024, 3, 30, 12);
  std::vector<WallTime> sent;
  for (int i = 0; i < 3; ++i) sent.push_back(t = next_time_of_day(kPrague, 8 * 60, t));
  EXPECT_EQ(sent[0], utc(2024, 3, 31, 6));  // 08:00 CEST
  EXPECT_EQ(sent[1], utc(2024, 4, 1, 6));
  EXPECT_EQ(sent[0] - utc(2024, 3, 30, 7), hours(23));  // the day before was 08:00 CET
}

TEST(DeliveryWindow, MorningDigestsAcrossFallBackHappenOncePerDay) {
  // CEST -> CET at 2024-10-27 03:00 local: that day has 25 hours.
  WallTime first = next_time_of_day(kPrague, 8 * 60, utc(2024, 10, 26, 12));
  WallTime second = next_time_of_day(kPrague, 8 * 60, first);
  EXPECT_EQ(first, utc(2024, 10, 27, 7));  // 08:00 CET
  EXPECT_EQ(second, utc(2024, 10, 28, 7));
  EXPECT_EQ(first - utc(2024, 10, 26, 6), hours(25));
}

TEST(DeliveryWindow, ASkippedTimeHappensAtTheTransition) {
  // 02:30 does not exist on 2024-03-31 in Prague: it happens at 03:00 CEST (01:00Z), once.
  WallTime t = next_time_of_day(kPrague, 150, utc(2024, 3, 30, 12));
  EXPECT_EQ(t, utc(2024, 3, 31, 1));
  EXPECT_EQ(next_time_of_day(kPrague, 150, t), utc(2024, 4, 1, 0, 30));
}

TEST(DeliveryWindow, ARepeatedTimeHappensTheFirstTimeOnly) {
  // 02:30 happens twice on 2024-10-27 (00:30Z CEST, 01:30Z CET): the digest goes at the first.
  WallTime t = next_time_of_day(kPrague, 150, utc(2024, 10, 26, 12));
  EXPECT_EQ(t, utc(2024, 10, 27, 0, 30));
  EXPECT_EQ(next_time_of_day(kPrague, 150, t), utc(2024, 10, 28, 1, 30));
  // Asked between the two, the next is the next day's.
  EXPECT_EQ(next_time_of_day(kPrague, 150, utc(2024, 10, 27, 1)), utc(2024, 10, 28, 1, 30));
}

TEST(DeliveryWindow, QuietHoursSpanningMidnightHoldUntilTheirEnd) {
  DeliveryWindow w{std::string(kPrague), 22 * 60, 7 * 60};
  // 23:30 CEST -> held until 07:00 CEST next day (05:00Z).
  EXPECT_TRUE(in_quiet_hours(w, utc(2024, 5, 1, 21, 30)));
  EXPECT_EQ(release_time(w, utc(2024, 5, 1, 21, 30)), utc(2024, 5, 2, 5));
  // 03:00 local is quiet too; 07:00 and 21:59 local are not.
  EXPECT_EQ(release_time(w, utc(2024, 5, 2, 1)), utc(2024, 5, 2, 5));
  EXPECT_EQ(release_time(w, utc(2024, 5, 2, 5)), utc(2024, 5, 2, 5));
  EXPECT_FALSE(in_quiet_hours(w, utc(2024, 5, 2, 19, 59)));
}

TEST(DeliveryWindow, QuietHoursWithinADay) {
  DeliveryWindow w{"", 12 * 60, 13 * 60};
  EXPECT_EQ(release_time(w, utc(2024, 5, 1, 12, 15)), utc(2024, 5, 1, 13));
  EXPECT_EQ(release_time(w, utc(2024, 5, 1, 13, 15)), utc(2024, 5, 1, 13, 15));
}

TEST(DeliveryWindow, ASnoozeEndingInQuietHoursHoldsUntilTheyEnd) {
  DeliveryWindow w{std::string(kPrague), 22 * 60, 7 * 60};
  w.snoozed_until = std::chrono::system_clock::to_time_t(utc(2024, 5, 1, 21));  // 23:00 local
  EXPECT_EQ(release_time(w, utc(2024, 5, 1, 10)), utc(2024, 5, 2, 5));
  w.snoozed_until = std::chrono::system_clock::to_time_t(utc(2024, 5, 1, 15));  // 17:00 local
  EXPECT_EQ(release_time(w, utc(2024, 5, 1, 10)), utc(2024, 5, 1, 15));
  EXPECT_EQ(release_time(w, utc(2024, 5, 1, 16)), utc(2024, 5, 1, 16));  // snooze over
}

TEST(DeliveryWindow, AMuteDropsUntilItsInstantWhateverTheSnoozeOrQuietHours) {
  DeliveryWindow w{std::string(kPrague), 22 * 60, 7 * 60};
  EXPECT_FALSE(muted_at(w, utc(2024, 5, 1, 10)));  // never muted
  w.snoozed_until = std::chrono::system_clock::to_time_t(utc(2024, 5, 1, 18));
  w.muted_until = std::chrono::system_clock::to_time_t(utc(2024, 5, 1, 15));
  EXPECT_TRUE(muted_at(w, utc(2024, 5, 1, 10)));
  EXPECT_TRUE(muted_at(w, utc(2024, 5, 1, 14, 59)));
  EXPECT_FALSE(muted_at(w, utc(2024, 5, 1, 15)));  // ends by itself at its instant
  // Once the mute is over, the snooze still holds what arrives.
  EXPECT_EQ(release_time(w, utc(2024, 5, 1, 16)), utc(2024, 5, 1, 18));
}

TEST(DeliveryWindow, ZonesAreCheckedAgainstTheSystemDatabase) {
  EXPECT_TRUE(valid_time_zone("Europe/Prague"));
  EXPECT_TRUE(valid_time_zone("America/New_York"));
  EXPECT_TRUE(valid_time_zone(""));
  EXPECT_FALSE(valid_time_zone("Europe/Pargue"));
}

TEST(DeliveryWindow, TimesOfDayAsText) {
  EXPECT_EQ(parse_time_of_day("08:00"), 480);
  EXPECT_EQ(parse_time_of_day("23:59"), 1439);
  EXPECT_EQ(parse_time_of_day("24:00"), -1);
  EXPECT_EQ(parse_time_of_day("8:00"), -1);
  EXPECT_EQ(format_time_of_day(480), "08:00");
  const WallTime now = utc(2024, 5, 1, 12);
  EXPECT_EQ(format_local(kPrague, utc(2024, 5, 2, 5), now), "07:00 Europe/Prague");
  EXPECT_EQ(format_local("", utc(2024, 5, 3, 5), now), "2024-05-03 05:00 UTC");
}

}  // namespace
}  // namespace fmn
