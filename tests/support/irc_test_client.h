// IrcTestClient: an IRC user for tests, over a LineClient: registers a nick, sends PRIVMSGs,
// and reads or waits for messages, answering the server's PINGs meanwhile. It plays the person
// who receives fmn's IRC notifications. Move-only; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/line_client.h"

namespace fmn::test {

// One parsed IRC line: ":prefix COMMAND p1 p2 :trailing" -> params {p1, p2, trailing}.
struct IrcLine {
  std::string prefix;  // "nick!user@host" or the server name; empty when absent
  std::string command;
  std::vector<std::string> params;

  std::string nick() const { return prefix.substr(0, prefix.find('!')); }
};

IrcLine parse_irc_line(std::string_view line);

class IrcTestClient {
 public:
  // Connects, sends NICK and USER, and waits for the welcome (001).
  static Result<IrcTestClient> connect(int port, const std::string& nick, Duration timeout);

  const std::string& nick() const { return nick_; }
  Status send(std::string_view raw_line) { return lines_.send_line(raw_line); }
  Status privmsg(std::string_view target, std::string_view text);
  // The next line other than the server's PINGs (answered on the way).
  Result<IrcLine> next(Duration timeout);
  // The next line whose command is `command` (e.g. "PRIVMSG"); lines before it are dropped.
  Result<IrcLine> wait_for(std::string_view command, Duration timeout);

 private:
  IrcTestClient(LineClient lines, std::string nick)
      : lines_(std::move(lines)), nick_(std::move(nick)) {}

  LineClient lines_;
  std::string nick_;
};

}  // namespace fmn::test
