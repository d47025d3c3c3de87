// Diagnostic: one problem found in text a person wrote (a rule, a preferences file), and its
// two renderings. Every layer reports such problems as this one type, collected rather than
// thrown, so the command-line tools, the logs and the web API show them alike.
//
// Text form, one block per diagnostic:
//
//   rules.fmn:3:12-18: error[E0101]: unknown field `pakages`
//      3 | rule "x" = pakages in $my_packages
//        |            ~~~~~~~
//      hint: did you mean `packages`?
//
//   prefs.toml:12:10: error: user "ralph", rule "mine": unknown destination "mail"
//
// "[code]" only when the diagnostic has one; the subject (which record it is about) before the
// message; without a file name the position starts the line; without a position (line 0) no
// position, source line or underline. Columns are 1-based code points and ranges inclusive in
// both forms ("12-18" is seven characters, as is column 12 to end_column 18 in JSON). A line
// longer than 160 characters is shown as a window around the diagnostic, cut with "…"; bytes
// that are not UTF-8 (and NUL) print as U+FFFD, so the JSON form is always valid JSON.
//
// Plain values and pure functions; thread-compatible.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/severity.h"

namespace fmn {

// Where a diagnostic points: 1-based lines and code-point columns, end inclusive. line == 0:
// nowhere in particular (the data came from elsewhere, or the problem is the whole file).
struct TextSpan {
  uint32_t line = 0, column = 0;
  uint32_t end_line = 0, end_column = 0;

  static constexpr TextSpan point(uint32_t line, uint32_t column) {
    return {line, column, line, column};
  }
  bool operator==(const TextSpan&) const = default;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string_view code;  // stable id ("E0101"), static storage; empty when the kind has none
  TextSpan span;
  std::string subject;  // the record it is about (`user "ralph", rule "mine"`); may be empty
  std::string message;  // what is wrong, one line
  std::string hint;     // how to fix it; may be empty
};

bool has_errors(std::span<const Diagnostic> diagnostics);

// The text form above, ending with a newline. `file_text` supplies the quoted source line; when
// it is empty (or too short) the block is the first line and the hint.
std::string render_text(const Diagnostic& d, std::string_view file_name,
                        std::string_view file_text = {});
std::string render_text(std::span<const Diagnostic> diagnostics, std::string_view file_name,
                        std::string_view file_text = {});
// The text form's first line without file name or newline ("2:7-9: error[E0101]: ..."): one
// diagnostic on one line of a log.
std::string render_line(const Diagnostic& d);

// One JSON object: {"file","line","column","end_line","end_column","severity","code",
// "subject","message","hint"}; "file" only when `file_name` is not empty, "subject" only when
// the diagnostic has one. end_line:end_column is the last character, as in the text form.
std::string render_json(const Diagnostic& d, std::string_view file_name = {});

}  // namespace fmn
