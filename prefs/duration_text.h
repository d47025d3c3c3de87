// Durations and timestamps as people write them in preference files: digest periods like
// "1h", "90m", "1h30m", "2d", "45s", and UTC instants as RFC 3339 text.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fmn::prefs {

// "1d2h3m4s" (units d, h, m, s; each at most once, in that order; at least one) -> seconds.
// nullopt when malformed or longer than a year.
std::optional<uint32_t> parse_duration(std::string_view text);

// The shortest canonical spelling: 5400 -> "1h30m", 0 -> "0s".
std::string format_duration(uint32_t seconds);

// Unix seconds <-> "2024-05-01T12:00:00Z". parse_utc() takes that form only (UTC, seconds
// given); nullopt otherwise.
std::string format_utc(int64_t unix_seconds);
std::optional<int64_t> parse_utc(std::string_view text);
int64_t unix_from_civil(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                        unsigned second);

}  // namespace fmn::prefs
