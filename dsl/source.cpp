#include "dsl/source.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace fmn::dsl {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string_view SourceFile::slice(SourceRange r) const {
  return std::string_view(text_).substr(r.begin, r.end - r.begin);
}

LineColumn SourceFile::position(uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<uint32_t>(it - line_starts_.begin());
  uint32_t column = 1;
  for (uint32_t i = line_starts_[line - 1]; i < offset; ++i) {
    // Count code points: skip UTF-8 continuation bytes.
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

TextSpan SourceFile::span(SourceRange r) const {
  const LineColumn begin = position(r.begin);
  // The last character starts at the last byte that is not a UTF-8 continuation byte.
  uint32_t last = r.end > r.begin ? r.end - 1 : r.begin;
  while (last > r.begin && (static_cast<unsigned char>(text_[last]) & 0xC0) == 0x80) --last;
  const LineColumn end = position(last);
  return {begin.line, begin.column, end.line, end.column};
}

std::string_view SourceFile::line(uint32_t number) const {
  if (number == 0 || number > line_starts_.size()) return {};
  uint32_t begin = line_starts_[number - 1];
  uint32_t end =
      number < line_starts_.size() ? line_starts_[number] - 1 : static_cast<uint32_t>(text_.size());
  std::string_view s = std::string_view(text_).substr(begin, end - begin);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

Result<SourceFile> read_source_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Error{ErrorCode::kIo, path + ": cannot read"};
  return SourceFile(path, text.str());
}

}  // namespace fmn::dsl
