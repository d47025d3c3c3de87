#include "dsl/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/utf8.h"

#include "dsl/literal_text.h"

namespace fmn::dsl {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";

bool starts_code_point(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// Byte offset of each code point of `s`.
std::vector<size_t> code_point_starts(std::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if (starts_code_point(s[i])) starts.push_back(i);
  }
  return starts;
}

// `s` if it has at most `limit` code points, else its first `keep_front` and last `keep_back`
// joined by "…".
std::string cut_middle(std::string_view s, size_t limit, size_t keep_front, size_t keep_back) {
  std::vector<size_t> starts = code_point_starts(s);
  if (starts.size() <= limit) return std::string(s);
  std::string out(s.substr(0, starts[keep_front]));
  out += kEllipsis;
  out += s.substr(starts[starts.size() - keep_back]);
  return out;
}

// Messages quote the source (`name`, "string"): a quoted 100 KB string or name is cut in its
// middle, keeping its closing quote, and so is a message that stays too long.
std::string shortened(std::string_view message) {
  constexpr size_t kMaxWord = 80, kMaxMessage = 400;
  std::string out;
  while (!message.empty()) {
    size_t space = message.find(' ');
    size_t word_end = space == std::string_view::npos ? message.size() : space + 1;
    out += cut_middle(message.substr(0, word_end), kMaxWord, 60, 10);
    message.remove_prefix(word_end);
  }
  return cut_middle(out, kMaxMessage, 300, 80);
}

}  // namespace

void Diagnostics::report(Code code, SourceRange range, std::string message, std::string hint) {
  if (code_info(code).severity == Severity::kError) ++errors_;
  items_.push_back({code, range, shortened(message), shortened(hint)});
}

void Diagnostics::sort_by_position() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.range.begin < b.range.begin;
  });
}

namespace {

// A line longer than this is shown as a window of kWindowColumns around the diagnostic.
constexpr uint32_t kMaxShownColumns = 160;
constexpr uint32_t kWindowColumns = 120;
constexpr uint32_t kWindowBefore = 40;  // columns kept before the diagnostic's first column
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

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

// The part of a line a diagnostic shows, and the column (of the whole line) it starts at.
struct Excerpt {
  std::string text;
  uint32_t first_column = 1;
  bool cut_before = false;
};

Excerpt excerpt(std::string_view line, uint32_t column) {
  std::vector<size_t> starts = code_point_starts(line);
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
    auto c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    out += c == '\t' ? '\t' : ' ';
    ++col;
  }
  for (; col < column; ++col) out += ' ';
  if (width <= 1) return out + '^';
  return out + std::string(width, '~');
}

// Where a diagnostic is, as both renderings print it: first and last columns inclusive; a
// point (an empty or one-character range) has last == begin.
struct Span {
  LineColumn begin;
  LineColumn last;
};

Span span(const SourceFile& file, SourceRange r) {
  LineColumn begin = file.position(r.begin);
  // The last character starts at the last byte that is not a UTF-8 continuation byte.
  uint32_t last = r.end > r.begin ? r.end - 1 : r.begin;
  while (last > r.begin && !starts_code_point(file.text()[last])) --last;
  return {begin, file.position(last)};
}

}  // namespace

std::string render_text(const SourceFile& file, const Diagnostic& d) {
  auto [begin, last] = span(file, d.range);
  std::string_view line = file.line(begin.line);
  std::string where;
  uint32_t width = 1;
  if (last.line == begin.line && last.column == begin.column) {
    where = fmt::format("{}:{}", begin.line, begin.column);
  } else if (begin.line == last.line) {
    where = fmt::format("{}:{}-{}", begin.line, begin.column, last.column);
    width = last.column - begin.column + 1;
  } else {
    where = fmt::format("{}:{}-{}:{}", begin.line, begin.column, last.line, last.column);
    uint32_t line_length = 0;  // in code points
    for (char c : line) line_length += starts_code_point(c);
    width = std::max(line_length + 1, begin.column + 1) - begin.column;
  }
  Excerpt shown = excerpt(line, begin.column);
  uint32_t column = begin.column - shown.first_column + 1 + (shown.cut_before ? 1 : 0);
  uint32_t room = 0;  // columns of the excerpt from `column` on, for the underline
  for (char c : shown.text) room += starts_code_point(c);
  width = std::max<uint32_t>(1, std::min(width, room + 1 > column ? room + 1 - column : 1));
  const CodeInfo& info = code_info(d.code);
  std::string out = fmt::format("{}:{}: {}[{}]: {}\n", displayable(file.name()), where,
                                severity_name(info.severity), info.id, displayable(d.message));
  out += fmt::format("{:>4} | {}\n", begin.line, shown.text);
  out += fmt::format("     | {}\n", underline(shown.text, column, width));
  if (!d.hint.empty()) out += fmt::format("   hint: {}\n", displayable(d.hint));
  return out;
}

std::string render_json(const SourceFile& file, const Diagnostic& d) {
  auto [begin, last] = span(file, d.range);
  const CodeInfo& info = code_info(d.code);
  return fmt::format(
      R"({{"file":{},"line":{},"column":{},"end_line":{},"end_column":{},"severity":"{}",)"
      R"("code":"{}","message":{},"hint":{}}})",
      quote(displayable(file.name())), begin.line, begin.column, last.line, last.column,
      severity_name(info.severity), info.id, quote(displayable(d.message)),
      quote(displayable(d.hint)));
}

}  // namespace fmn::dsl
