// Answers to confirmation requests sent to the IRC bot itself: a nick that got a request
// (Renderer::confirmation_irc) may answer "/msg <bot> confirm <user> <code>" or
// "/msg <bot> reject <user> <code>" instead of opening the link.
//
// The answer names the account, so the store checks the code against that account's pending
// destination only (prefs::apply_answer): one load, never a scan, and a code cannot match
// another user's request. The destination's address is the nick the server says sent the
// message, never one the text names, so nobody can answer for another nick. The code is a
// secret: nothing here logs it. Pure functions; thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "sinks/confirmation.h"

namespace fmn::sinks {

struct IrcAnswer {
  std::string nick;  // who sent it (a valid nick: is_irc_nick())
  std::string user;  // the account the request named
  std::string code;
  bool accept = false;
};

enum class IrcAnswerKind {
  kNotForBot,  // not a PRIVMSG to `bot` (a channel, a server notice...): not ours to judge
  kGarbage,    // a PRIVMSG to `bot` that is no answer: unknown command, CTCP, bad words
  kAnswer,
};

// Messages to the bot itself, counted by the IRC sink; readable from any thread.
struct IrcAnswerCounters {
  std::atomic<uint64_t> answered{0};  // confirmation answers handed to the store
  std::atomic<uint64_t> ignored{0};   // garbage, unknown commands, answers over the rate
};

// Reads one server line (":nick!user@host PRIVMSG <bot> :<text>"); `bot` is the sink's
// current nick (compared under the IRC case-mapping). Fills `out` for kAnswer only.
IrcAnswerKind parse_irc_answer(std::string_view line, std::string_view bot, IrcAnswer& out);

// The NOTICE line (without CRLF) telling `answer.nick` what became of its answer.
std::string irc_answer_notice(const IrcAnswer& answer, ConfirmationOutcome outcome);

}  // namespace fmn::sinks
