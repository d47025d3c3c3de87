// A rule file's text and the mapping from byte offsets to what a person sees: line and column.
//
// Every syntax tree node and diagnostic refers to the text by a SourceRange of byte offsets;
// SourceFile turns them into 1-based lines and columns (columns count UTF-8 code points, so a
// caret lines up under non-ASCII text). Immutable after construction; safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"

namespace fmn::dsl {

// Bytes [begin, end) of a SourceFile's text.
struct SourceRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const SourceRange&) const = default;
};

struct LineColumn {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in code points
};

class SourceFile {
 public:
  // `name` is how diagnostics name the file (as the user gave it, e.g. "rules/me.fmn").
  SourceFile(std::string name, std::string text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  std::string_view slice(SourceRange r) const;

  // REQUIRES: offset <= text().size().
  LineColumn position(uint32_t offset) const;
  // The lines and columns of `r`'s first and last characters (an empty range: its start), as
  // diagnostics show them. REQUIRES: r.end <= text().size().
  TextSpan span(SourceRange r) const;
  // The text of a 1-based line, without its line break.
  std::string_view line(uint32_t number) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }

 private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> line_starts_;  // byte offset where each line begins
};

// The file at `path`, named `path` in diagnostics; kIo when it cannot be read.
Result<SourceFile> read_source_file(const std::string& path);

}  // namespace fmn::dsl
