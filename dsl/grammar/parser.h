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

// Goes on parsing `file` from byte `start`, appending to `module`, which holds the statements
// of the text before `start` (parsed earlier, from a file that began with the same bytes), so
// a common head is parsed once. REQUIRES: `start` is the end of a statement or of the text.
Module parse_after(const SourceFile& file, Module module, uint32_t start, Diagnostics& diagnostics);

}  // namespace fmn::dsl
