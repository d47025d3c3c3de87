#include "prefs/duration_text.h"

#include <cstdio>

namespace fmn::prefs {
namespace {

constexpr uint32_t kMaxDuration = 366 * 86400;

struct Unit {
  char letter;
  uint32_t seconds;
};
constexpr Unit kUnits[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

// Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

std::optional<uint32_t> parse_duration(std::string_view text) {
  uint64_t total = 0;
  size_t next_unit = 0;
  size_t i = 0;
  if (text.empty()) return std::nullopt;
  while (i < text.size()) {
    uint64_t n = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 9) {
      n = n * 10 + static_cast<uint64_t>(text[i++] - '0');
      ++digits;
    }
    if (digits == 0 || i == text.size()) return std::nullopt;
    size_t u = next_unit;
    while (u < std::size(kUnits) && kUnits[u].letter != text[i]) ++u;
    if (u == std::size(kUnits)) return std::nullopt;
    total += n * kUnits[u].seconds;
    if (total > kMaxDuration) return std::nullopt;
    next_unit = u + 1;
    ++i;
  }
  return static_cast<uint32_t>(total);
}

std::string format_duration(uint32_t seconds) {
  if (seconds == 0) return "0s";
  std::string out;
  for (const auto& unit : kUnits) {
    if (seconds >= unit.seconds) {
      out += std::to_string(seconds / unit.seconds) + unit.letter;
      seconds %= unit.seconds;
    }
  }
  return out;
}

int64_t unix_from_civil(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                        unsigned second) {
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::string format_utc(int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  // civil_from_days, the inverse of days_from_civil.
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

std::optional<int64_t> parse_utc(std::string_view text) {
  unsigned year, month, day, hour, minute, second;
  int consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4u-%2u-%2uT%2u:%2u:%2uZ%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6 ||
      static_cast<size_t>(consumed) != s.size() || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  return unix_from_civil(static_cast<int>(year), month, day, hour, minute, second);
}

}  // namespace fmn::prefs
