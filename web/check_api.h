// POST /api/v1/check: a rule's text checked as it would be stored, by the checker behind
// `fmn-rulec check` and the preference stores (dsl::RuleCompiler: syntax and semantics,
// positions, hints, "did you mean").
//
//   request:  {"source": "packages in $my_packages and topic ~ \"*.bodhi.*\""}
//   response: {"ok": false, "diagnostics": [{"line": 1, "column": 1, "end_line": 1,
//              "end_column": 7, "severity": "error", "code": "E0101",
//              "message": "unknown field `pakages`", "hint": "did you mean `packages`?"}]}
//
// "ok" is false when any diagnostic is an error (such a rule cannot be saved). Thread-safe.
#pragma once

#include "core/json_writer.h"
#include "dsl/rule_compiler.h"
#include "web/http_message.h"

namespace fmn::web {

HttpResponse check_rule(dsl::RuleCompiler& compiler, const HttpRequest& request);

// Writes the members "ok" and "diagnostics" of a check's answer into the current object.
void write_check_result(JsonWriter& w, const dsl::StoredRuleResult& result);

}  // namespace fmn::web
