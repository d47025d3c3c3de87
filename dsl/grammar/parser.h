// Parses a rule file into a syntax tree, reporting every syntax error it can.
//
// After an error the parser skips to the next line that starts with `rule` or `def` and goes
// on, so one run reports one syntax error per broken statement; the broken statements are
// left out of the Module. Never throws. Thread-compatible (no shared state).
#pragma once

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace fmn::dsl {

Module parse(const SourceFile& file, Diagnostics& diagnostics);

}  // namespace fmn::dsl
