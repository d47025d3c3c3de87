#include "sinks/text_escape.h"

#include <cstdint>

namespace fmn::sinks {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  const size_t left = text.size() - i;
  const uint8_t c = b(0);
  if (c < 0x80) return 1;
  const auto cont = [&](size_t k) { return k < left && (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Walks `text`, appending runs of bytes that need no change in one append. `special(c)`
// says which ASCII bytes need handling; `ascii(c)` handles them, `other(seq)` handles each
// non-ASCII sequence (invalid bytes arrive as U+FFFD). Most text is plain ASCII: one append.
template <typename Special, typename Ascii, typename Other>
void for_each_char(std::string& out, std::string_view text, Special special, Ascii ascii,
                   Other other) {
  out.reserve(out.size() + text.size());
  size_t run = 0;  // start of the pending unchanged run
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<uint8_t>(text[i]);
    if (c < 0x80 && !special(text[i])) {
      ++i;
      continue;
    }
    out.append(text.data() + run, i - run);
    if (c < 0x80) {
      ascii(text[i]);
      i += 1;
    } else {
      const size_t n = utf8_sequence_length(text, i);
      other(n == 0 ? kReplacement : text.substr(i, n));
      i += n == 0 ? 1 : n;
    }
    run = i;
  }
  out.append(text.data() + run, i - run);
}

bool is_line_breaking(std::string_view seq) {
  // C1 controls U+0080..U+009F, and U+2028 / U+2029.
  const auto c0 = static_cast<uint8_t>(seq[0]);
  if (seq.size() == 2 && c0 == 0xC2 && static_cast<uint8_t>(seq[1]) < 0xA0) return true;
  return seq == "\xE2\x80\xA8" || seq == "\xE2\x80\xA9";
}

bool is_control(char c) { return static_cast<uint8_t>(c) < 0x20 || c == 0x7F; }

void append_one_line_sequence(std::string& out, std::string_view seq) {
  if (is_line_breaking(seq)) {
    out.push_back(' ');
  } else {
    out.append(seq);
  }
}

}  // namespace

void append_one_line(std::string& out, std::string_view text) {
  for_each_char(
      out, text, is_control, [&](char) { out.push_back(' '); },
      [&](std::string_view seq) { append_one_line_sequence(out, seq); });
}

void append_html(std::string& out, std::string_view text) {
  for_each_char(
      out, text,
      [](char c) {
        return is_control(c) || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'';
      },
      [&](char c) {
        switch (c) {
          case '&':
            out += "&amp;";
            break;
          case '<':
            out += "&lt;";
            break;
          case '>':
            out += "&gt;";
            break;
          case '"':
            out += "&quot;";
            break;
          case '\'':
            out += "&#39;";
            break;
          default:
            out.push_back(' ');
        }
      },
      [&](std::string_view seq) { append_one_line_sequence(out, seq); });
}

void append_json(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for_each_char(
      out, text, [](char c) { return is_control(c) || c == '"' || c == '\\'; },
      [&](char c) {
        if (c == '"' || c == '\\') {
          out.push_back('\\');
          out.push_back(c);
        } else {
          const auto u = static_cast<uint8_t>(c);
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xF]);
        }
      },
      [&](std::string_view seq) {
        if (seq == "\xE2\x80\xA8") {
          out += "\\u2028";
        } else if (seq == "\xE2\x80\xA9") {
          out += "\\u2029";
        } else {
          out.append(seq);
        }
      });
}

std::string_view utf8_prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Step back over continuation bytes to the start of the sequence that would be cut.
  while (end > 0 && (static_cast<uint8_t>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

void append_truncated(std::string& out, std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    out.append(text);
    return;
  }
  out.append(utf8_prefix(text, max_bytes - 3));
  out += "\xE2\x80\xA6";  // …
}

bool is_valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8_sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace fmn::sinks
