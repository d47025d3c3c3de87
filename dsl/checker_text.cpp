#include "dsl/checker_text.h"

#include <fmt/format.h>

#include <string_view>

#include "core/utf8.h"

namespace fmn::dsl {
namespace {

// A file of garbage would otherwise get one error per byte.
constexpr int kMaxTextErrors = 5;

// Where `s` first stops being valid UTF-8 without NUL, or s.size().
size_t first_bad(std::string_view s) { return std::min(first_invalid_utf8(s), s.find('\0')); }

void check_file_bytes(const SourceFile& file, Diagnostics& diags) {
  std::string_view text = file.text();
  int reported = 0;
  for (size_t at = first_bad(text); at < text.size() && reported < kMaxTextErrors;
       at += 1 + first_bad(text.substr(at + 1)), ++reported) {
    auto begin = static_cast<uint32_t>(at);
    if (text[at] == '\0') {
      diags.report(Code::kBadText, {begin, begin + 1}, "a NUL character in the rule file",
                   "rule files are text: remove it");
    } else {
      diags.report(
          Code::kBadText, {begin, begin + 1},
          fmt::format("byte 0x{:02X} is not valid UTF-8", static_cast<unsigned char>(text[at])),
          "save the file as UTF-8");
    }
  }
}

// A decoded string whose source bytes were fine but whose escapes were not.
void check_decoded(const SourceFile& file, std::string_view value, SourceRange range,
                   std::string_view what, Diagnostics& diags) {
  if (first_bad(value) == value.size() || first_bad(file.slice(range)) < range.end - range.begin) {
    return;
  }
  bool nul = value.find('\0') != std::string_view::npos;
  diags.report(
      Code::kBadText, range,
      fmt::format("this {} holds {}", what,
                  nul ? "a NUL character (\\u0000)" : "a lone surrogate (\\uD800-\\uDFFF)"),
      nul ? "remove the escape" : "write the character itself, or both halves of the pair");
}

void check_operand(const SourceFile& file, const Operand& o, Diagnostics& diags) {
  if (o.kind == OperandKind::kString) check_decoded(file, o.text, o.range, "string", diags);
  for (const Operand& item : o.items) check_operand(file, item, diags);
  for (const PathSegment& s : o.segments) {
    if (!s.index) check_decoded(file, s.key, s.range, "key", diags);
  }
}

}  // namespace

void check_text(const SourceFile& file, const Module& module, Diagnostics& diagnostics) {
  check_file_bytes(file, diagnostics);
  for (const Statement& s : module.statements) {
    if (s.kind == StatementKind::kRule) {
      check_decoded(file, s.name, s.name_range, "rule name", diagnostics);
    }
  }
  for (const Expr& e : module.exprs) {
    check_operand(file, e.lhs, diagnostics);
    check_operand(file, e.rhs, diagnostics);
  }
}

}  // namespace fmn::dsl
