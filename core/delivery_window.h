// When a (user, destination)'s notifications may leave, in the user's local time: the daily time
// of day of a digest (`at`), quiet hours during which nothing is sent, a snooze that holds
// everything until an instant, and a mute that drops everything until an instant. Times of day are
// minutes after local midnight in an IANA time zone ("Europe/Prague"; empty means UTC), resolved
// with the system's tz database
// (/usr/share/zoneinfo), so daylight-saving changes are the zone's own.
//
// DST: a local time that a spring-forward skips happens at the transition (02:30 on a day that
// jumps from 02:00 to 03:00 is 03:00); one that a fall-back repeats happens the first time only.
// Every local time of day therefore happens exactly once per local day.
//
// Pure functions; thread-safe (the tz database is loaded once, on first use). An unknown zone
// name is treated as UTC here: the preferences refuse one before it gets this far
// (valid_time_zone()).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace fmn {

using WallTime = std::chrono::system_clock::time_point;

inline constexpr int kMinutesPerDay = 24 * 60;

struct DeliveryWindow {
  std::string tz;             // IANA zone name; empty: UTC
  int16_t quiet_from = -1;    // quiet hours [quiet_from, quiet_to) in local minutes; -1: none.
  int16_t quiet_to = -1;      // quiet_from > quiet_to spans midnight ("22:00-07:00")
  int64_t snoozed_until = 0;  // Unix seconds; nothing leaves before it. 0: not snoozed
  int64_t muted_until = 0;    // Unix seconds; what arrives before it is dropped. 0: not muted

  bool has_quiet_hours() const { return quiet_from >= 0 && quiet_to >= 0; }
  bool operator==(const DeliveryWindow&) const = default;
};

// True when `tz` names a zone of the system's tz database (or is empty: UTC).
bool valid_time_zone(std::string_view tz);

// The first instant strictly after `after` whose local time in `tz` is `minute` (0..1439).
WallTime next_time_of_day(std::string_view tz, int minute, WallTime after);

// True when `t` falls in the window's quiet hours.
bool in_quiet_hours(const DeliveryWindow& w, WallTime t);

// True when a notification arriving at `t` is to be dropped: the window is muted until after `t`.
// A mute wins over a snooze and quiet hours (nothing is held, nothing sent later).
bool muted_at(const DeliveryWindow& w, WallTime t);

// When a notification arriving at `now` may leave: `now` unless it is snoozed or in quiet
// hours, else the end of both (a snooze that ends inside quiet hours holds until they end).
WallTime release_time(const DeliveryWindow& w, WallTime now);

// "07:00 Europe/Prague" when `t` is less than a day after `now`, else
// "2024-05-02 07:00 Europe/Prague" (the zone's name, or "UTC").
std::string format_local(std::string_view tz, WallTime t, WallTime now);

// "08:00" <-> 480. parse_time_of_day() returns -1 unless the text is HH:MM (00:00 to 23:59).
int parse_time_of_day(std::string_view text);
std::string format_time_of_day(int minute);

}  // namespace fmn
