// IRC line building: PRIVMSG lines that can carry no command and fit the protocol's limit.
//
// A line is at most 512 bytes including CRLF (RFC 1459 2.3), and the server prefixes it with
// ":nick!user@host " when relaying, so the text is cut to leave `reserve` bytes for that.
// Long text is split into several lines on UTF-8 boundaries, at a space when one is near.
// CR, LF and NUL are removed whatever their source (a bare CR alone can end a command).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fmn::sinks {

struct IrcLineLimits {
  size_t max_line_bytes = 512;  // including CRLF
  size_t reserve = 100;         // for the prefix the server adds when relaying
  size_t max_lines = 4;         // a notification longer than this is cut, ending with "…"
};

// The "PRIVMSG <target> :<text>" lines (without CRLF) for `text`. A target that is not a valid
// nick (is_irc_nick(), core/destination_address.h: no space, comma, colon or control character
// can pass) gives no lines.
std::vector<std::string> privmsg_lines(std::string_view target, std::string_view text,
                                       const IrcLineLimits& limits = {});

}  // namespace fmn::sinks
