// Strict text: a rule file, and every rule name and string in it, is valid UTF-8 without NUL.
//
// The file's bytes are checked as read (an invalid sequence or a NUL anywhere, comments
// included, is an error at its position); decoded names and strings are checked again, since
// the escapes \u0000 and a lone \uD800 can spell what the file's bytes cannot. Reports E0016
// errors to `diagnostics`, at most a few per file; never throws.
#pragma once

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace fmn::dsl {

void check_text(const SourceFile& file, const Module& module, Diagnostics& diagnostics);

}  // namespace fmn::dsl
