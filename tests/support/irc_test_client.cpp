#include "tests/support/irc_test_client.h"

namespace fmn::test {

IrcLine parse_irc_line(std::string_view line) {
  IrcLine out;
  auto next_word = [&line] {
    const size_t end = line.find(' ');
    std::string word(line.substr(0, end));
    line = end == std::string_view::npos ? std::string_view{} : line.substr(end + 1);
    return word;
  };
  if (line.starts_with(':')) {
    line.remove_prefix(1);
    out.prefix = next_word();
  }
  out.command = next_word();
  while (!line.empty()) {
    if (line.starts_with(':')) {
      out.params.emplace_back(line.substr(1));
      break;
    }
    out.params.push_back(next_word());
  }
  return out;
}

Result<IrcTestClient> IrcTestClient::connect(int port, const std::string& nick, Duration timeout) {
  auto lines = LineClient::connect(port, timeout);
  if (!lines.ok()) return lines.error();
  IrcTestClient client(std::move(lines).value(), nick);
  for (const auto& line : {"NICK " + nick, "USER " + nick + " 0 * :fmn test user " + nick}) {
    if (auto sent = client.send(line); !sent.ok()) return sent.error();
  }
  auto welcome = client.wait_for("001", timeout);
  if (!welcome.ok()) {
    return Error{ErrorCode::kIo, "IRC registration of " + nick + ": " + welcome.error().message};
  }
  return client;
}

Status IrcTestClient::privmsg(std::string_view target, std::string_view text) {
  return send("PRIVMSG " + std::string(target) + " :" + std::string(text));
}

Result<IrcLine> IrcTestClient::next(Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<Duration>(deadline - std::chrono::steady_clock::now());
    auto raw = lines_.read_line(std::max(left, Duration::zero()));
    if (!raw.ok()) return raw.error();
    IrcLine line = parse_irc_line(raw.value());
    if (line.command != "PING") return line;
    if (auto sent = send("PONG :" + (line.params.empty() ? "" : line.params.back())); !sent.ok()) {
      return sent.error();
    }
  }
}

Result<IrcLine> IrcTestClient::wait_for(std::string_view command, Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string seen;  // what came instead, for the error message
  for (;;) {
    const auto left =
        std::chrono::duration_cast<Duration>(deadline - std::chrono::steady_clock::now());
    auto line = next(left);
    if (!line.ok()) {
      return Error{ErrorCode::kIo, "waiting for " + std::string(command) + " as " + nick_ + ": " +
                                       line.error().message + "; received instead:\n" + seen};
    }
    if (line->command == command) return line;
    seen += line->prefix + " " + line->command;
    for (const std::string& p : line->params) seen += " " + p;
    seen += "\n";
  }
}

}  // namespace fmn::test
