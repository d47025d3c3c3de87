#include "sinks/irc_text.h"

#include "core/destination_address.h"
#include "sinks/text_escape.h"

namespace fmn::sinks {

std::vector<std::string> privmsg_lines(std::string_view target, std::string_view text,
                                       const IrcLineLimits& limits) {
  std::vector<std::string> lines;
  if (!is_irc_nick(target)) return lines;
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n' && c != '\0') clean.push_back(c);
  }
  const std::string head = "PRIVMSG " + std::string(target) + " :";
  const size_t budget = limits.max_line_bytes - 2 - limits.reserve - head.size();
  std::string_view rest = clean;
  while (!rest.empty() && lines.size() < limits.max_lines) {
    std::string_view piece = utf8_prefix(rest, budget);
    if (piece.size() < rest.size()) {
      if (lines.size() + 1 == limits.max_lines) {  // the last line allowed: cut with "…"
        lines.push_back(head);
        append_truncated(lines.back(), rest, budget);
        return lines;
      }
      const size_t space = piece.rfind(' ');
      if (space != std::string_view::npos && space > budget / 2) piece = piece.substr(0, space);
    }
    if (piece.empty()) piece = rest.substr(0, 1);  // never loop without progress
    lines.push_back(head + std::string(piece));
    rest.remove_prefix(piece.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  }
  return lines;
}

}  // namespace fmn::sinks
