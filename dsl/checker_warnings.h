// The checker's second pass: warnings about rules that are valid but cannot mean what their
// author meant — a topic pattern no full topic matches, empty patterns and rule names, a rule
// that is a constant, a value a field never takes, `!=` on a body path the message may lack.
//
// Runs on a Module the first pass (checker.h) has already checked; reads it, never changes
// it, and reports only warnings (W0001, W0002, W0005-W0008), which never reject a file.
#pragma once

#include <string_view>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace fmn::dsl {

// False when no whole topic (`<org>.<domain>.<environment>.<service>...`) can be `s`: what
// W0005 warns about for a value or a pattern without wildcards, literal or from a named list.
bool could_be_full_topic(std::string_view s);

void warn_dead_tests(const SourceFile& file, const Module& module, Diagnostics& diagnostics);

}  // namespace fmn::dsl
