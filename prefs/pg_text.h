// PostgreSQL's text encodings, for the COPY streams and array parameters: COPY text format
// fields as COPY ... TO STDOUT sends them (backslash escapes, \N for NULL) and one-dimensional
// text[] literals ({a,"b c"}).
//
// Pure functions; thread-safe. Parsers return false on malformed input rather than guessing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fmn::prefs::pg {

// Splits one COPY text line (without its newline) into raw (still escaped) fields.
void split_copy_line(std::string_view line, std::vector<std::string_view>& fields);

// Undoes COPY text escaping into `out` (cleared first).
void copy_unescape(std::string_view field, std::string& out);

// An array literal ("{}", "{a,b}", "{\"x y\",z}") -> elements. NULL elements are rejected.
bool parse_text_array(std::string_view literal, std::vector<std::string>& out);
// Elements -> an array literal (every element quoted).
std::string format_text_array(const std::vector<std::string>& items);

}  // namespace fmn::prefs::pg
