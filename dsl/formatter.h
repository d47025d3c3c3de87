// The formatter behind `fmn-rulec fmt`: a rule file in the one standard layout.
//
// A statement fits on one line (100 columns) or is broken: the head (`rule "name" =`) alone,
// then one test per line, indented four spaces, each after the first led by its `and`/`or`;
// nested chains that must break go in parentheses one level deeper, long lists one item per
// line. Comments are kept: own-line comments before the test they precede, end-of-line
// comments after the test they follow; at most one blank line separates statements, as in the
// source. Literals are written in normal form. Formatting is idempotent and the result parses
// to the same syntax tree (tests check both). REQUIRES: the module parsed without errors.
#pragma once

#include <string>

#include "dsl/ast.h"
#include "dsl/source.h"

namespace fmn::dsl {

inline constexpr size_t kFormatWidth = 100;

std::string format_module(const SourceFile& file, const Module& module);

// One expression on one line, as the formatter writes it when it fits.
std::string format_expr(const Module& module, ExprId id);

}  // namespace fmn::dsl
