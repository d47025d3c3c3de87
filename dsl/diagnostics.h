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
// Columns are 1-based code points; the text form's range is inclusive ("12-18" is seven
// characters), the JSON form's end_column is exclusive. Not thread-safe (one per compilation).
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
// "message","hint"}.
std::string render_json(const SourceFile& file, const Diagnostic& d);

}  // namespace fmn::dsl
