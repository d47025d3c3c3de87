// The rule language's front door: source text in, checked and lowered rules out.
//
// compile() parses, checks and lowers one file, collecting every diagnostic (sorted by
// position) into `diagnostics`. It returns the rules only when there is no error (warnings are
// fine). Never throws; thread-compatible.
#pragma once

#include <optional>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/program.h"
#include "dsl/source.h"

namespace fmn::dsl {

// Parse and check only: the syntax tree (for the formatter and `fmn-rulec ast`), complete
// for the statements that parsed.
Module parse_and_check(const SourceFile& file, Diagnostics& diagnostics);

std::optional<RuleSet> compile(const SourceFile& file, Diagnostics& diagnostics);

// FMN's defaults for a new user (data/rules/fmn-defaults.fmn, built into the library).
const SourceFile& default_rules_source();

}  // namespace fmn::dsl
