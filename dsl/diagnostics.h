// Diagnostics: the rule-language errors and warnings of one file, collected rather than thrown,
// so one run reports every mistake it can find.
//
// Grammar and semantic errors are the same type, fmn::Diagnostic (core/diagnostic.h, which also
// renders them), with the code of the catalogue (dsl/diagnostic_codes.h). The passes report
// byte ranges of the file; the collector turns them into lines and columns of the file the
// front end was given: parse() and check() bind the collector to it. A message or hint quoting
// a very long name or string keeps the quote's first 60 and last 10 characters (and at most 400
// in all). Not thread-safe (one per compilation).
#pragma once

#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "dsl/diagnostic_codes.h"
#include "dsl/source.h"

namespace fmn::dsl {

class Diagnostics {
 public:
  // Positions of later reports are in `file`. REQUIRES: `file` outlives those reports.
  void bind(const SourceFile& file) { file_ = &file; }

  // REQUIRES: bound to a file that holds `range`.
  void report(Code code, SourceRange range, std::string message, std::string hint = {});

  const std::vector<Diagnostic>& all() const { return items_; }
  size_t error_count() const { return errors_; }
  bool has_errors() const { return errors_ > 0; }
  // Orders by position in the file (stable: same-position diagnostics keep report order).
  void sort_by_position();

 private:
  const SourceFile* file_ = nullptr;
  std::vector<Diagnostic> items_;
  size_t errors_ = 0;
};

}  // namespace fmn::dsl
