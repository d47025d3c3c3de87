// How literals and paths are written in the rule language. Strings are JSON's: `"` and `\`
// escaped, control characters as \n, \t, \r, \b, \f or \uXXXX, `\/` accepted, everything else
// (UTF-8 included) as is. The parser decodes with these functions and both printers (and the
// diagnostics' JSON form) write with them, so printed text always parses back to the same
// values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fmn::dsl {

// `s` quoted and escaped (also a valid JSON string).
std::string quote(std::string_view s);

// The bytes a literal stands for. REQUIRES: `literal` matched the grammar's string_lit
// (quotes included, escapes valid). A lone surrogate \uD8xx is kept as its 3-byte encoding.
std::string decode_string_literal(std::string_view literal);

// The shortest text that parses back to `n`: integers without a fraction ("3", not "3.0").
std::string format_number(double n);

// One step of a body path: `.key` for keys that are names, `["key"]` for others, `[3]`, `[*]`.
void append_path_step(std::string& out, std::string_view key, bool is_index, uint32_t index,
                      bool every = false);

}  // namespace fmn::dsl
