// `fmn-rulec ast`: a lowered rule shown whole — its canonical text, its shape, its constants
// and its tree of tests — so an author sees what the rule compiles to. Thread-safe.
#pragma once

#include <string>

#include "dsl/program.h"

namespace fmn::dsl {

std::string dump_rule(const CompiledRule& rule);

}  // namespace fmn::dsl
