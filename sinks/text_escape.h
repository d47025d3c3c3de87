// Making user-controlled text safe for the medium it goes into: one header or IRC line, HTML,
// JSON strings. Every field of a fedmsg message (subtitle, link, agent, usernames...) is
// user-controlled: these functions are the only way such text reaches an output.
//
// All functions append to `out`, never throw, and accept any bytes: invalid UTF-8 becomes
// U+FFFD, so their output is always valid UTF-8. Thread-safe (pure functions).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fmn::sinks {

// One line of text: C0 controls (CR, LF, NUL, TAB, ESC, IRC formatting codes...), DEL, C1
// controls and U+2028/U+2029 become a space. Nothing can start a new line or command.
void append_one_line(std::string& out, std::string_view text);

// Like append_one_line, then escapes & < > " ' for HTML text and attribute values.
void append_html(std::string& out, std::string_view text);

// The contents of a JSON string (without quotes): escapes " and \, writes controls as \uXXXX,
// and U+2028/U+2029 as \u2028/\u2029 (they end a line in JavaScript).
void append_json(std::string& out, std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not cut a UTF-8
// sequence in two.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);

// Appends `text` cut to at most `max_bytes` bytes on a UTF-8 boundary, ending with "…" when
// it was cut (the ellipsis counts in the limit). REQUIRES: max_bytes >= 3.
void append_truncated(std::string& out, std::string_view text, size_t max_bytes);

// True when `text` is valid UTF-8.
bool is_valid_utf8(std::string_view text);

}  // namespace fmn::sinks
