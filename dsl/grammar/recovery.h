// Syntax-error recovery for the parser: where to underline a mistake and where to resume.
//
// Plain functions on the file's text (no PEGTL), so the parser's one translation unit keeps only
// the grammar's actions and control. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "dsl/diagnostic_codes.h"
#include "dsl/source.h"

namespace fmn::dsl {

// What to underline for a syntax error `code` raised at byte `at`: the word there, one
// character, an escape sequence, or (for an unterminated string) the string from its opening
// quote; after the last token when what is missing belongs at the end of a line.
SourceRange error_range(std::string_view text, uint32_t at, Code code);

// Where to go on after a statement that began at `from` failed at `at`.
uint32_t resynchronise(std::string_view text, uint32_t from, uint32_t at);

}  // namespace fmn::dsl
