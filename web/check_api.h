// POST /api/v1/check: a rule's text checked as it would be stored, by the checker behind
// `fmn-rulec check` and the preference stores (dsl::RuleCompiler: syntax and semantics,
// positions, hints, "did you mean").
//
//   request:  {"source": "packages in $my_packages and topic ~ \"*.bodhi.*\""}
//   response: {"ok": false, "diagnostics": [{"line": 1, "column": 1, "end_line": 1,
//              "end_column": 7, "severity": "error", "code": "E0101",
//              "message": "unknown field `pakages`", "hint": "did you mean `packages`?"}]}
//
// "ok" is false when any diagnostic is an error (such a rule cannot be saved). The text is
// checked as one of the signed-in user's rules: a `$lists.NAME` they have no list of is an
// error (E0110). Thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/json_writer.h"
#include "dsl/rule_compiler.h"
#include "dsl/user_list_checks.h"
#include "web/http_message.h"

namespace fmn::web {

// `lists`: the user's named lists.
HttpResponse check_rule(dsl::RuleCompiler& compiler, std::span<const dsl::ListEntries> lists,
                        const HttpRequest& request);

// A compiled text as one of a user's rules: the text's diagnostics, then those of the user's
// `lists` it reads (dsl/user_list_checks.h: a list they lack, an entry that is not a pattern).
struct UserRuleCheck {
  bool ok = false;  // compiled, and no list it reads has an error
  std::vector<Diagnostic> diagnostics;
};
UserRuleCheck check_for_user(const dsl::StoredRuleResult& result,
                             std::span<const dsl::ListEntries> lists);

// Writes the members "ok" and "diagnostics" of a check's answer into the current object.
void write_check_result(JsonWriter& w, const UserRuleCheck& check);

}  // namespace fmn::web
