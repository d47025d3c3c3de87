// Syntax errors that say what the writer most likely meant.
//
// The grammar's error table (grammar/error_messages.h) knows which rule failed, not what the
// text there looks like. refine_syntax_error() looks at the text where the parse stopped and,
// for a few mistakes people make coming from other languages and editors — a function call,
// a regex escape in a plain string, typographic quotes, a byte order mark — gives a message
// and hint that name the mistake. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/diagnostic_codes.h"

namespace fmn::dsl {

struct SyntaxMessage {
  std::string message;
  std::string hint;
};

// A better message and hint for the error `code` raised at byte `at` of `text`, or nullopt
// when the grammar's own wording is the best there is.
std::optional<SyntaxMessage> refine_syntax_error(std::string_view text, uint32_t at, Code code);

}  // namespace fmn::dsl
