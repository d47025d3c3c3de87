// The syntax of a destination's address, one check per kind, shared by the preferences (which
// refuse a bad address with a diagnostic) and the sinks (which refuse to send to one). Being in
// core/, below both layers, is what lets one definition serve both: prefs/ may not include
// sinks/, and a second copy drifts (it did).
//
// Each check is deliberately narrower than its standard: what it accepts can carry no CR, LF,
// NUL, space or other byte that would let it escape an SMTP command, a header, an IRC line or
// an HTTP request line. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace fmn {

// local@domain with a dot-atom local part (RFC 5322 atext, at most 64 bytes) and a domain of
// LDH labels or an IPv4 literal in brackets, 254 bytes in all. Quoted local parts, comments
// and non-ASCII addresses (SMTPUTF8) are refused.
bool is_email_address(std::string_view address);

// RFC 2812: a letter or one of []\`_^{|} first, then letters, digits, those and '-'; at most
// 30 bytes. Such a nick is a safe PRIVMSG target.
bool is_irc_nick(std::string_view nick);

// Whether two nicks name the same IRC user under the servers' rfc1459 case-mapping: ASCII
// letters fold, and so do []\~ with {}|^ (the Scandinavian letters they once stood for).
bool same_irc_nick(std::string_view a, std::string_view b);

// Account, destination and SSE feed names: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 64 bytes.
bool is_plain_name(std::string_view name);

// http:// or https:// URL with a host, at most 2000 bytes, printable ASCII without spaces,
// quotes, angle brackets or backslashes, and without user:password@ (the URL is logged as the
// destination's address, so it may hold no credential).
bool is_webhook_url(std::string_view url);

// The address as logs may show it: an email's local part is masked after its first character
// ("a***@example.org"), a URL keeps only its scheme and host (a path or query may hold a token),
// a nick or feed name is kept (public names).
std::string redacted_address(std::string_view address);

}  // namespace fmn
