#include "dsl/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>

#include "dsl/literal_text.h"

namespace fmn::dsl {

void Diagnostics::report(Code code, SourceRange range, std::string message, std::string hint) {
  if (code_info(code).severity == Severity::kError) ++errors_;
  items_.push_back({code, range, std::move(message), std::move(hint)});
}

void Diagnostics::sort_by_position() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.range.begin < b.range.begin;
  });
}

namespace {

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

}  // namespace

std::string render_text(const SourceFile& file, const Diagnostic& d) {
  LineColumn begin = file.position(d.range.begin);
  bool point = d.range.end <= d.range.begin + 1;
  LineColumn last = point ? begin : file.position(d.range.end - 1);
  std::string_view line = file.line(begin.line);
  std::string where;
  uint32_t width = 1;
  if (point) {
    where = fmt::format("{}:{}", begin.line, begin.column);
  } else if (begin.line == last.line) {
    where = fmt::format("{}:{}-{}", begin.line, begin.column, last.column);
    width = last.column - begin.column + 1;
  } else {
    where = fmt::format("{}:{}-{}:{}", begin.line, begin.column, last.line, last.column);
    uint32_t line_length = 0;  // in code points
    for (char c : line) line_length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    width = std::max(line_length + 1, begin.column + 1) - begin.column;
  }
  const CodeInfo& info = code_info(d.code);
  std::string out = fmt::format("{}:{}: {}[{}]: {}\n", file.name(), where,
                                severity_name(info.severity), info.id, d.message);
  out += fmt::format("{:>4} | {}\n", begin.line, line);
  out += fmt::format("     | {}\n", underline(line, begin.column, width));
  if (!d.hint.empty()) out += fmt::format("   hint: {}\n", d.hint);
  return out;
}

std::string render_json(const SourceFile& file, const Diagnostic& d) {
  LineColumn begin = file.position(d.range.begin);
  LineColumn end = file.position(std::max(d.range.begin, d.range.end));
  const CodeInfo& info = code_info(d.code);
  return fmt::format(
      R"({{"file":{},"line":{},"column":{},"end_line":{},"end_column":{},"severity":"{}",)"
      R"("code":"{}","message":{},"hint":{}}})",
      quote(file.name()), begin.line, begin.column, end.line, end.column,
      severity_name(info.severity), info.id, quote(d.message), quote(d.hint));
}

}  // namespace fmn::dsl
