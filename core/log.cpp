#include "core/log.h"

#include <charconv>
#include <chrono>
#include <ctime>

#include "core/quoted_text.h"

namespace fmn::log {
namespace {

struct Config {
  Level min_level = Level::kInfo;
  Format format = Format::kText;
  std::FILE* out = stderr;
};
Config& config() {
  static Config c;
  return c;
}

constexpr std::string_view kLevelNames[] = {"debug", "info", "warn", "error"};
constexpr std::string_view kLevelTags[] = {"DEBUG", "INFO", "WARN", "ERROR"};

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count()));
  return buf;
}

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  for (unsigned char c : s) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) return true;
  }
  return false;
}

void append_value(std::string& out, const Field& f, Format format) {
  if (const auto* s = std::get_if<std::string>(&f.value)) {
    if (format == Format::kJson || needs_quotes(*s)) {
      append_quoted(out, *s);
    } else {
      out += *s;
    }
    return;
  }
  char buf[32];
  auto res = std::holds_alternative<int64_t>(f.value)
                 ? std::to_chars(buf, buf + sizeof buf, std::get<int64_t>(f.value))
                 : std::to_chars(buf, buf + sizeof buf, std::get<double>(f.value));
  out.append(buf, res.ptr);
}

}  // namespace

void configure(Level min_level, Format format, std::FILE* out) {
  config() = Config{min_level, format, out};
}

std::string render(Level level, std::string_view event, Fields fields, Format format) {
  std::string line;
  auto lvl = static_cast<size_t>(level);
  if (format == Format::kJson) {
    line += "{\"ts\":\"" + timestamp() + "\",\"level\":\"";
    line += kLevelNames[lvl];
    line += "\",\"event\":";
    append_quoted(line, event);
    for (const Field& f : fields) {
      line += ',';
      append_quoted(line, f.key);
      line += ':';
      append_value(line, f, format);
    }
    line += '}';
    return line;
  }
  line += timestamp();
  line += ' ';
  line += kLevelTags[lvl];
  line += ' ';
  line += event;
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    append_value(line, f, format);
  }
  return line;
}

void write(Level level, std::string_view event, Fields fields) {
  const Config& c = config();
  if (level < c.min_level) return;
  std::string line = render(level, event, fields, c.format);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), c.out);
  std::fflush(c.out);
}

}  // namespace fmn::log
