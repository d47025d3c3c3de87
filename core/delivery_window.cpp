#include "core/delivery_window.h"

#include <date/tz.h>

#include <cstdio>

namespace fmn {
namespace {

using std::chrono::minutes;

// The zone, or null for UTC (an empty or unknown name).
const date::time_zone* zone_of(std::string_view tz) {
  if (tz.empty()) return nullptr;
  try {
    return date::locate_zone(tz);
  } catch (const std::exception&) {
    return nullptr;
  }
}

date::local_time<minutes> local_of(const date::time_zone* zone, WallTime t) {
  auto m = std::chrono::floor<minutes>(t);
  if (zone == nullptr) return date::local_time<minutes>(m.time_since_epoch());
  return std::chrono::floor<minutes>(zone->to_local(m));
}

WallTime sys_of(const date::time_zone* zone, date::local_time<minutes> local) {
  if (zone == nullptr) return WallTime(local.time_since_epoch());
  // Skipped times map to the transition; repeated times to their first occurrence.
  return zone->to_sys(local, date::choose::earliest);
}

}  // namespace

bool valid_time_zone(std::string_view tz) { return tz.empty() || zone_of(tz) != nullptr; }

WallTime next_time_of_day(std::string_view tz, int minute, WallTime after) {
  const date::time_zone* zone = zone_of(tz);
  const date::local_days today = std::chrono::floor<date::days>(local_of(zone, after));
  // Yesterday's time may still lie ahead when a fall-back repeats the hour of `after`.
  for (int day = -1; day <= 2; ++day) {
    WallTime t = sys_of(zone, today + date::days(day) + minutes(minute));
    if (t > after) return t;
  }
  return after + std::chrono::hours(24);  // unreachable: some day ahead has the time
}

bool in_quiet_hours(const DeliveryWindow& w, WallTime t) {
  if (!w.has_quiet_hours() || w.quiet_from == w.quiet_to) return false;
  const auto local = local_of(zone_of(w.tz), t);
  const int minute = static_cast<int>((local - std::chrono::floor<date::days>(local)).count());
  if (w.quiet_from < w.quiet_to) return minute >= w.quiet_from && minute < w.quiet_to;
  return minute >= w.quiet_from || minute < w.quiet_to;
}

bool muted_at(const DeliveryWindow& w, WallTime t) {
  return WallTime(std::chrono::seconds(w.muted_until)) > t;
}

WallTime release_time(const DeliveryWindow& w, WallTime now) {
  WallTime t = now;
  const WallTime snooze_end{std::chrono::seconds(w.snoozed_until)};
  if (snooze_end > t) t = snooze_end;
  if (in_quiet_hours(w, t)) t = next_time_of_day(w.tz, w.quiet_to, t);
  return t;
}

std::string format_local(std::string_view tz, WallTime t, WallTime now) {
  const date::time_zone* zone = zone_of(tz);
  const auto local = local_of(zone, t);
  const std::string name = zone == nullptr ? "UTC" : std::string(tz);
  if (t - now < std::chrono::hours(24)) {
    return date::format("%H:%M ", local) + name;
  }
  return date::format("%Y-%m-%d %H:%M ", local) + name;
}

int parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return -1;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return -1;
  return hour * 60 + minute;
}

std::string format_time_of_day(int minute) {
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", (minute / 60) % 24, minute % 60);
  return out;
}

}  // namespace fmn
