// `explain`: why a rule did or did not match a message, test by test — the question FMN's
// users asked most ("why did I get this?").
//
// Every node of the lowered rule gets a line: its result, whether the short-circuiting
// interpreter needed it, its text, and for leaf tests the values the fields and parameters
// had. The overall result is the interpreter's. Thread-safe on const inputs.
#pragma once

#include <string>
#include <vector>

#include "core/message.h"
#include "dsl/program.h"
#include "dsl/user_params.h"

namespace fmn::dsl {

struct ExplainLine {
  int depth = 0;  // nesting, for indentation
  bool result = false;
  bool needed = true;  // false: an earlier test already decided the enclosing and/or
  std::string text;    // "and", "or", "not", or the leaf test
  std::string values;  // leaf tests: "agent = \"ralph\", $me = \"ralph\""
};

std::vector<ExplainLine> explain(const CompiledRule& rule, const Message& message,
                                 const ParamsView& params);

// The lines as an indented tree:
//   rule "mine": no match
//     false  and
//     true     topic ~ "*.bodhi.*"
//     false    agent == $me          agent = "bowlofeggs", $me = "ralph"
std::string render_explanation(const CompiledRule& rule, const std::vector<ExplainLine>& lines);

}  // namespace fmn::dsl
