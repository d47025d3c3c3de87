#include "sinks/mime.h"

#include <cstdint>
#include <cstdio>

#include "sinks/text_escape.h"

namespace fmn::sinks {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void append_base64(std::string& out, std::string_view bytes) {
  size_t i = 0;
  const auto at = [&](size_t k) { return static_cast<uint8_t>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    out += {kBase64[v >> 18], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], kBase64[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = at(i) << 16;
    out += {kBase64[v >> 18], kBase64[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = at(i) << 16 | at(i + 1) << 8;
    out += {kBase64[v >> 18], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], '='};
  }
}

bool needs_encoding(std::string_view text) {
  if (text.size() > 900 || text.find("=?") != std::string_view::npos) return true;
  for (char c : text) {
    const auto u = static_cast<uint8_t>(c);
    if (u < 0x20 || u >= 0x7F) return true;
  }
  return false;
}

}  // namespace

void append_header_text(std::string& out, std::string_view text) {
  if (!needs_encoding(text)) {
    out.append(text);
    return;
  }
  // 45 bytes of UTF-8 -> 60 base64 characters -> a 72-character encoded word (limit: 75).
  constexpr size_t kChunk = 45;
  bool first = true;
  while (!text.empty()) {
    std::string_view chunk = utf8_prefix(text, kChunk);
    if (chunk.empty()) chunk = text.substr(0, 1);  // invalid UTF-8: keep going
    if (!first) out += "\r\n ";
    out += "=?UTF-8?B?";
    append_base64(out, chunk);
    out += "?=";
    text.remove_prefix(chunk.size());
    first = false;
  }
}

void append_quoted_printable(std::string& out, std::string_view text) {
  constexpr size_t kMaxLine = 76;
  size_t line_length = 0;
  const auto emit = [&](std::string_view piece) {
    if (line_length + piece.size() > kMaxLine - 1) {  // room for the soft break's '='
      out += "=\r\n";
      line_length = 0;
    }
    out.append(piece);
    line_length += piece.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<uint8_t>(c);
    if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      out += "\r\n";
      line_length = 0;
      continue;
    }
    const bool at_line_end = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
    const bool literal =
        (u >= 33 && u <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end);
    if (literal) {
      emit(std::string_view(&c, 1));
    } else {
      const char encoded[3] = {'=', kHex[u >> 4], kHex[u & 0xF]};
      emit(std::string_view(encoded, 3));
    }
  }
}

void append_rfc5322_date(std::string& out, std::time_t t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                              kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900,
                              tm.tm_hour, tm.tm_min, tm.tm_sec);
  out.append(buf, static_cast<size_t>(n));
}

}  // namespace fmn::sinks
