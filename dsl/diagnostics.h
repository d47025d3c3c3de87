// Diagnostics: the rule-language errors and warnings of one file, collected rather than thrown,
// so one run reports every mistake it can find.
//
// Grammar and semantic errors are the same type and render the same way:
//
//   rules.fmn:3:12-18: error[E0101]: unknown field `pakages`
//      3 | rule "x" = pakages in $my_packages
//        |            ~~~~~~~
//      hint: did you mean `packages`?
//
// Columns are 1-based code points and ranges inclusive in both forms ("12-18" is seven
// characters, as is column 12 to end_column 18 in JSON; a one-character range is one column,
// "12" and 12 to 12). A line longer than 160 characters is shown as a window around the
// diagnostic, cut with "…"; a message or hint quoting a very long name or string keeps the
// quote's first 60 and last 10 characters (and at most 400 in all); bytes that are not UTF-8 (and
// NUL) print as U+FFFD, so the JSON form is always valid JSON. Not thread-safe (one per
// compilation).
#pragma once

#include <string>
#include <vector>

#include "dsl/diagnostic_codes.h"
#include "dsl/source.h"

namespace fmn::dsl {

struct Diagnostic {
  Code code;
  SourceRange range;
  std::string message;
  std::string hint;  // empty when there is nothing useful to add

  Severity severity() const { return code_info(code).severity; }
};

class Diagnostics {
 public:
  void report(Code code, SourceRange range, std::string message, std::string hint = {});

  const std::vector<Diagnostic>& all() const { return items_; }
  size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }
  // Orders by position in the file (stable: same-position diagnostics keep report order).
  void sort_by_position();

 private:
  std::vector<Diagnostic> items_;
  size_t errors_ = 0;
};

// The text form above, ending with a newline.
std::string render_text(const SourceFile& file, const Diagnostic& d);
// One JSON object: {"file","line","column","end_line","end_column","severity","code",
// "message","hint"}; end_line:end_column is the last character, as in the text form.
std::string render_json(const SourceFile& file, const Diagnostic& d);

}  // namespace fmn::dsl
