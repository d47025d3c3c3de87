#include "dsl/literal_text.h"

#include "core/quoted_text.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace fmn::dsl {

std::string quote(std::string_view s) { return double_quoted(s); }

namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

uint32_t hex4(std::string_view s) {
  uint32_t v = 0;
  std::from_chars(s.data(), s.data() + 4, v, 16);
  return v;
}

}  // namespace

std::string decode_string_literal(std::string_view literal) {
  std::string_view s = literal.substr(1, literal.size() - 2);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    char e = s[++i];
    switch (e) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t cp = hex4(s.substr(i + 1));
        i += 4;
        bool high = cp >= 0xD800 && cp < 0xDC00;
        if (high && s.substr(i + 1, 2) == "\\u") {
          uint32_t low = hex4(s.substr(i + 3));
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, cp);
        break;
      }
      default:
        out += e;  // " \ /
    }
  }
  return out;
}

std::string format_number(double n) {
  if (n == std::trunc(n) && std::fabs(n) < 9007199254740992.0) {  // 2^53: exact integers
    return fmt::format("{}", static_cast<int64_t>(n));
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  return std::string(buf, end);
}

void append_path_step(std::string& out, std::string_view key, bool is_index, uint32_t index,
                      bool every) {
  if (every) {
    out += "[*]";
    return;
  }
  if (is_index) {
    out += fmt::format("[{}]", index);
    return;
  }
  bool name = !key.empty() && !(key[0] >= '0' && key[0] <= '9');
  for (char c : key) {
    name = name &&
           ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (name) {
    out += '.';
    out += key;
  } else {
    out += '[';
    out += quote(key);
    out += ']';
  }
}

}  // namespace fmn::dsl
