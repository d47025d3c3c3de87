// IrcReceipts: which PRIVMSG lines an IRC server has taken. IRC acknowledges no message, but a
// server handles each client's commands in order: its PONG to a PING sent after some lines
// proves it processed them, and an ERR_NOSUCHNICK (401) that arrives before that PONG says one
// of them was refused because its target is not on the server.
//
// The sender works in rounds: at most one line per target, then checkpoint() names the PING to
// send. So a 401 for a target refers to exactly one line: that target's oldest unconfirmed one.
// Lines still unconfirmed when the connection drops were perhaps never processed (the server
// died with them in its input buffer): unconfirmed() hands them back to be sent again. A line
// the server processed but whose PONG was lost with the connection is sent twice; one the server
// processed but did not pass on before it died is lost — IRC cannot tell the sender either.
//
// A value type; one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/settled.h"

namespace fmn::sinks {

struct IrcPrivmsg {
  std::string target;  // the nick
  std::string text;    // the whole command, "PRIVMSG nick :..."
  bool last_of_notification = false;
  uint32_t refusals = 0;  // 401s so far: the target was not on the server
  Settled settled;        // on a last line: called once the sink is finished with it
};

class IrcReceipts {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  // `line` was written to the connection in the current round.
  void sent(IrcPrivmsg line);
  // Ends the current round. Returns the PING token to send now, or "" when the round is empty.
  std::string checkpoint(time_point now);
  // A 401 for `target`: its oldest unconfirmed line was refused.
  void refused(std::string_view target);

  struct Settled {
    std::vector<IrcPrivmsg> accepted, refused;
  };
  // The server answered the PING `token`: every line sent before it is settled. Tokens that are
  // not ours, or already answered, settle nothing.
  Settled confirmed(std::string_view token);
  // The connection is gone: every unconfirmed line, oldest first; the receipts are empty after.
  std::vector<IrcPrivmsg> unconfirmed();

  // When the oldest unanswered PING was sent (nullopt when none is waiting).
  std::optional<time_point> oldest_checkpoint() const;
  bool empty() const { return lines_.empty(); }

 private:
  struct Entry {
    IrcPrivmsg line;
    uint64_t round;
    bool refused = false;
  };
  std::deque<Entry> lines_;                            // oldest first
  std::deque<std::pair<uint64_t, time_point>> pings_;  // rounds awaiting their PONG
  uint64_t round_ = 1;                                 // the round lines are added to
};

}  // namespace fmn::sinks
