// MIME encodings for outgoing email: RFC 2047 encoded words for header text, quoted-printable
// bodies, RFC 5322 dates. Output is 7-bit ASCII with CRLF line ends and lines under 78
// characters, so it passes any SMTP server without 8BITMIME. Pure functions; thread-safe.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace fmn::sinks {

// Appends the value of an unstructured header (Subject): as is when it is printable ASCII,
// otherwise as UTF-8 "B" encoded words folded onto continuation lines, never splitting a
// character. `text` must already be one line (see append_one_line).
void append_header_text(std::string& out, std::string_view text);

// Appends `text` quoted-printable encoded (RFC 2045 6.7); its LF or CRLF line ends become CRLF.
void append_quoted_printable(std::string& out, std::string_view text);

// Appends an RFC 5322 date in UTC: "Wed, 01 May 2024 12:00:00 +0000".
void append_rfc5322_date(std::string& out, std::time_t t);

}  // namespace fmn::sinks
