#include "core/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "core/quoted_text.h"
#include "core/utf8.h"

namespace fmn {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
// A line longer than this is shown as a window of kWindowColumns around the diagnostic.
constexpr uint32_t kMaxShownColumns = 160;
constexpr uint32_t kWindowColumns = 120;
constexpr uint32_t kWindowBefore = 40;  // columns kept before the diagnostic's first column

bool starts_code_point(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

uint32_t code_points(std::string_view s) {
  return static_cast<uint32_t>(std::count_if(s.begin(), s.end(), starts_code_point));
}

// `s` with every byte that is not valid UTF-8, and every NUL, replaced by U+FFFD: what a
// terminal or a JSON parser can take.
std::string displayable(std::string_view s) {
  std::string out;
  while (!s.empty()) {
    size_t bad = std::min(first_invalid_utf8(s), s.find('\0'));
    out += s.substr(0, bad);
    if (bad >= s.size()) break;
    out += kReplacement;
    s.remove_prefix(bad + 1);
  }
  return out;
}

// Line `number` (1-based) of `text`, without its line break; none past the last line.
std::optional<std::string_view> line_of(std::string_view text, uint32_t number) {
  size_t begin = 0;
  for (uint32_t n = 1; n < number; ++n) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos) return std::nullopt;
    ++begin;
  }
  size_t end = std::min(text.find('\n', begin), text.size());
  std::string_view line = text.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The part of a line a diagnostic shows, and the column (of the whole line) it starts at.
struct Excerpt {
  std::string text;
  uint32_t first_column = 1;
  bool cut_before = false;
};

Excerpt excerpt(std::string_view line, uint32_t column) {
  std::vector<size_t> starts;  // byte offset of each code point
  for (size_t i = 0; i < line.size(); ++i) {
    if (starts_code_point(line[i])) starts.push_back(i);
  }
  if (starts.size() <= kMaxShownColumns) return {displayable(line), 1, false};
  uint32_t first = column > kWindowBefore ? column - kWindowBefore : 1;
  first = std::min<uint32_t>(first, static_cast<uint32_t>(starts.size()) - kWindowColumns + 1);
  uint32_t last = first + kWindowColumns - 1;  // inclusive
  size_t begin = starts[first - 1];
  size_t end = last < starts.size() ? starts[last] : line.size();
  std::string text = first > 1 ? std::string(kEllipsis) : std::string();
  text += displayable(line.substr(begin, end - begin));
  if (end < line.size()) text += kEllipsis;
  return {std::move(text), first, first > 1};
}

// The underline's indentation copies the line's own tabs so the marks line up under them.
std::string underline(std::string_view line, uint32_t column, uint32_t width) {
  std::string out;
  uint32_t col = 1;
  for (size_t i = 0; i < line.size() && col < column; ++i) {
    if (!starts_code_point(line[i])) continue;
    out += line[i] == '\t' ? '\t' : ' ';
    ++col;
  }
  for (; col < column; ++col) out += ' ';
  if (width <= 1) return out + '^';
  return out + std::string(width, '~');
}

bool is_point(const TextSpan& s) {
  return s.end_line == 0 || (s.end_line == s.line && s.end_column <= s.column);
}

// "file:3:12-18: error[E0101]: subject: message", without a newline.
std::string first_line(const Diagnostic& d, std::string_view file_name) {
  const TextSpan& s = d.span;
  std::string out = displayable(file_name);
  if (s.line != 0) {
    if (!out.empty()) out += ':';
    if (is_point(s)) {
      out += fmt::format("{}:{}", s.line, s.column);
    } else if (s.end_line == s.line) {
      out += fmt::format("{}:{}-{}", s.line, s.column, s.end_column);
    } else {
      out += fmt::format("{}:{}-{}:{}", s.line, s.column, s.end_line, s.end_column);
    }
  }
  if (!out.empty()) out += ": ";
  out += severity_name(d.severity);
  if (!d.code.empty()) out += fmt::format("[{}]", d.code);
  out += ": ";
  if (!d.subject.empty()) out += displayable(d.subject) + ": ";
  out += displayable(d.message);
  return out;
}

// The quoted source line and its underline, or nothing when the line is not in `file_text`.
std::string source_lines(const TextSpan& s, std::string_view file_text) {
  if (s.line == 0 || file_text.empty()) return {};
  std::optional<std::string_view> line = line_of(file_text, s.line);
  if (!line) return {};
  uint32_t width = 1;
  if (is_point(s)) {
    width = 1;
  } else if (s.end_line == s.line) {
    width = s.end_column - s.column + 1;
  } else {  // to the end of the first line
    width = std::max(code_points(*line) + 1, s.column + 1) - s.column;
  }
  Excerpt shown = excerpt(*line, s.column);
  uint32_t column = s.column - shown.first_column + 1 + (shown.cut_before ? 1 : 0);
  uint32_t room = code_points(shown.text);  // columns of the excerpt, for the underline
  width = std::max<uint32_t>(1, std::min(width, room + 1 > column ? room + 1 - column : 1));
  return fmt::format("{:>4} | {}\n     | {}\n", s.line, shown.text,
                     underline(shown.text, column, width));
}

}  // namespace

bool has_errors(std::span<const Diagnostic> diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::string render_text(const Diagnostic& d, std::string_view file_name,
                        std::string_view file_text) {
  std::string out = first_line(d, file_name) + "\n" + source_lines(d.span, file_text);
  if (!d.hint.empty()) out += fmt::format("   hint: {}\n", displayable(d.hint));
  return out;
}

std::string render_text(std::span<const Diagnostic> diagnostics, std::string_view file_name,
                        std::string_view file_text) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += render_text(d, file_name, file_text);
  return out;
}

std::string render_line(const Diagnostic& d) { return first_line(d, {}); }

std::string render_json(const Diagnostic& d, std::string_view file_name) {
  const TextSpan& s = d.span;
  std::string out = "{";
  if (!file_name.empty())
    out += fmt::format(R"("file":{},)", double_quoted(displayable(file_name)));
  out += fmt::format(
      R"("line":{},"column":{},"end_line":{},"end_column":{},"severity":"{}","code":{},)", s.line,
      s.column, s.end_line, s.end_column, severity_name(d.severity), double_quoted(d.code));
  if (!d.subject.empty())
    out += fmt::format(R"("subject":{},)", double_quoted(displayable(d.subject)));
  out += fmt::format(R"("message":{},"hint":{}}})", double_quoted(displayable(d.message)),
                     double_quoted(displayable(d.hint)));
  return out;
}

}  // namespace fmn
