#include "dsl/grammar/recovery.h"

#include <cctype>
#include <optional>

namespace fmn::dsl {
namespace {

bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool starts_statement(std::string_view text, size_t p) {
  for (std::string_view kw : {"rule", "def"}) {
    if (text.substr(p, kw.size()) == kw &&
        (p + kw.size() >= text.size() || !is_ident(text[p + kw.size()]))) {
      return true;
    }
  }
  return false;
}

}  // namespace

SourceRange error_range(std::string_view text, uint32_t at, Code code) {
  if (code == Code::kUnterminatedString) {
    size_t line_begin = text.rfind('\n', at == 0 ? 0 : at - 1);
    line_begin = line_begin == std::string_view::npos ? 0 : line_begin + 1;
    std::optional<uint32_t> open;
    for (size_t i = line_begin; i < at; ++i) {
      if (open && text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        open = open ? std::nullopt : std::optional(static_cast<uint32_t>(i));
      } else if (!open && text[i] == '#') {
        break;
      }
    }
    if (open) return {*open, at};
  }
  // Something missing at the end of a line is noticed only on the next one: point right after
  // the last token instead, where the missing part belongs.
  bool missing = code != Code::kExpectedStatement && code != Code::kExpectedEnd &&
                 code != Code::kNotAnOperator && code != Code::kTooDeep;
  if (missing) {
    uint32_t back = at;
    while (back > 0 && std::isspace(static_cast<unsigned char>(text[back - 1]))) --back;
    if (text.substr(back, at - back).find('\n') != std::string_view::npos) return {back, back};
  }
  if (at >= text.size() || text[at] == '\n' || text[at] == '\r') return {at, at};
  uint32_t end = at + 1;
  if (code == Code::kBadEscape && at > 0 && text[at - 1] == '\\') {
    // The sequence the message quotes: `\U`, `\.` or `\é`, whatever follows it.
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    return {at - 1, end};
  }
  if (is_ident(text[at])) {
    while (end < text.size() && is_ident(text[end])) ++end;
  } else {
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return {at, end};
}

// Where to go on after a statement that began at `from` failed at `at`: the next line that
// starts a statement (its first word is `rule` or `def`) or starts in column 1 with something
// other than a comment (continuation lines are indented). That may be the line of `at`
// itself: a missing `)` is often noticed only at the next `rule`.
uint32_t resynchronise(std::string_view text, uint32_t from, uint32_t at) {
  auto starts_here = [&](size_t line) {
    size_t p = line;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
    if (starts_statement(text, p)) return true;
    return p == line && p < text.size() && text[p] != '#' && text[p] != '\n' && text[p] != '\r';
  };
  size_t line = text.rfind('\n', at == 0 ? 0 : at - 1);
  line = line == std::string_view::npos ? 0 : line + 1;
  if (at > from && line > from &&
      text.substr(line, at - line).find_first_not_of(" \t") == std::string_view::npos &&
      starts_here(line)) {
    return at;
  }
  for (size_t p = text.find('\n', at); p != std::string_view::npos; p = text.find('\n', p + 1)) {
    if (starts_here(p + 1)) {
      size_t q = p + 1;
      while (q < text.size() && (text[q] == ' ' || text[q] == '\t')) ++q;
      return static_cast<uint32_t>(q);
    }
  }
  return static_cast<uint32_t>(text.size());
}

}  // namespace fmn::dsl
