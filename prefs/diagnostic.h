// Diagnostics about preference data: what is wrong, where in the file, and which record.
//
// Collected, never thrown: a loader or validator appends every problem it finds, so one run
// reports them all. Plain values; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/severity.h"
#include "prefs/model.h"

namespace fmn::prefs {

struct Diagnostic {
  Severity severity = Severity::kError;
  SourcePos pos;        // in the preferences file; line 0 when the data came from elsewhere
  std::string where;    // the record: `user "ralph", rule "mine"` (empty for file-level errors)
  std::string message;  // what is wrong, one line
  std::string hint;     // how to fix it; may be empty
};

bool has_errors(const std::vector<Diagnostic>& diagnostics);

// One diagnostic per block, like a compiler:
//   prefs.toml:12:10: error: user "ralph", rule "mine": unknown destination "mail"
//      12 |   deliver = [{ to = "mail" }]
//         |          ^
//      hint: the user's destinations are: email, irc
// `file_name` may be empty (then "<where>: error: ..."); `file_text`, when given, supplies the
// quoted source line.
std::string render(const Diagnostic& diagnostic, std::string_view file_name,
                   std::string_view file_text = {});
std::string render(const std::vector<Diagnostic>& diagnostics, std::string_view file_name,
                   std::string_view file_text = {});

}  // namespace fmn::prefs
