// Structured logs: one line per event, as `key=value` text or as JSON, on stderr.
//
//   log::warn("smtp_retry", {{"attempt", 3}, {"error", "connection refused"}});
//   text: 2026-11-23T08:30:00.123Z WARN smtp_retry attempt=3 error="connection refused"
//   json: {"ts":"2026-11-23T08:30:00.123Z","level":"warn","event":"smtp_retry","attempt":3,...}
//
// Values are escaped (quotes, control characters), so a hostile field cannot forge a line.
// Thread-safe: each event is written with a single write. Configure once at start-up.
#pragma once

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace fmn::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kText, kJson };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(int64_t{v}) {}
  Field(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  std::string_view key;
  std::variant<std::string, int64_t, double> value;
};

using Fields = std::initializer_list<Field>;

// Start-up configuration (not thread-safe against concurrent logging).
void configure(Level min_level, Format format, std::FILE* out = stderr);

// The line an event renders to (without the trailing newline); exposed for tests.
std::string render(Level level, std::string_view event, Fields fields, Format format);

void write(Level level, std::string_view event, Fields fields = {});
inline void debug(std::string_view e, Fields f = {}) { write(Level::kDebug, e, f); }
inline void info(std::string_view e, Fields f = {}) { write(Level::kInfo, e, f); }
inline void warn(std::string_view e, Fields f = {}) { write(Level::kWarn, e, f); }
inline void error(std::string_view e, Fields f = {}) { write(Level::kError, e, f); }

}  // namespace fmn::log
