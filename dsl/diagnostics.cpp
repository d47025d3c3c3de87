#include "dsl/diagnostics.h"

#include <algorithm>
#include <vector>

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
  const CodeInfo& info = code_info(code);
  if (info.severity == Severity::kError) ++errors_;
  items_.push_back({.severity = info.severity,
                    .code = info.id,
                    .span = file_ ? file_->span(range) : TextSpan{},
                    .message = shortened(message),
                    .hint = shortened(hint)});
}

void Diagnostics::sort_by_position() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.span.line, a.span.column) < std::pair(b.span.line, b.span.column);
  });
}

}  // namespace fmn::dsl
