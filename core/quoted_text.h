// One escaping for every double-quoted string fmn writes: JSON strings, TOML basic strings,
// rule-language literals and quoted log values all read it back the same way.
#pragma once

#include <string>
#include <string_view>

namespace fmn {

// Appends `s` in double quotes: `"` and `\` backslashed, \n \r \t by name, every other control
// character and DEL as \u00XX. Other bytes (UTF-8 included) are copied as they are.
void append_quoted(std::string& out, std::string_view s);

inline std::string double_quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_quoted(out, s);
  return out;
}

}  // namespace fmn
