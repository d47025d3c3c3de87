// The IRC sink: one persistent client connection (NICK/USER, optional SASL PLAIN, PING/PONG,
// reconnect with backoff) sending each notification as PRIVMSG lines to the destination's
// nick. The preferences deliver only to confirmed nicks; this sink trusts its input there.
//
// Flood control: a token bucket per target (about one line a second with a small burst, as
// FMN's bot paced itself) and one for the whole connection, so the server never disconnects
// the bot for flooding. Lines wait in per-target queues (bounded; the oldest is dropped when
// full) and are sent in arrival order per target as tokens allow; queues survive reconnects.
// Lines are built by irc_text.h: under 512 bytes, split on UTF-8 boundaries, no CR/LF/NUL.
//
// Confirmation (irc_receipts.h): lines go out in rounds of at most one per target, each round
// written at once with a PING after it. A line counts as delivered once the server's PONG
// shows it processed it.
// Lines unconfirmed when the connection drops are sent again, first, after reconnecting. A line
// the server refuses because the nick is not on it (401: the user is offline, or the server
// was restarted and they have not reconnected yet) is kept and its target retried with
// `absent_target` backoff; a line refused more than its max_attempts times is given up with
// every line queued for that nick (counted as failed and reported). A PING unanswered for
// `confirm_timeout` means the server is gone: reconnect. A notification handed over by
// deliver_confirmed() (or a digest's item) is settled once its last line is confirmed, given
// up or dropped from a full queue, never before.
// Stopping, drain() keeps pumping until every line is confirmed or the grace period ends, then
// sends QUIT; what is left (queued or unconfirmed) is reported and never settled, so whoever
// handed it over has not marked it delivered. Lines longer than `max_event_bytes` of text are
// cut short with a link to the whole message, counted as truncated.
//
// Answers (irc_answers.h): "confirm|reject <user> <code>" sent to the bot goes to the
// ConfirmationHandler with the sender's nick as the address; the sender gets the outcome in a
// NOTICE. One token bucket for all answers (`answers_per_second`) bounds what a flood costs the
// store, the server and deliveries (which wait for the handler's round trip); answers over it
// and every other message to the bot are counted (answer_counters()) and ignored.
//
// pump() does the work: connects when due, reads server lines (answers PING, completes
// registration), sends what the buckets allow. deliver() and tick() call it without waiting;
// a dedicated thread may call pump(wait) in a loop for smoother pacing. One thread at a time.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <random>

#include "core/clock.h"
#include "sinks/backoff.h"
#include "sinks/irc_answers.h"
#include "sinks/irc_receipts.h"
#include "sinks/irc_text.h"
#include "sinks/irc_transport.h"
#include "sinks/renderer.h"
#include "sinks/sink.h"
#include "sinks/token_bucket.h"

namespace fmn::sinks {

struct IrcConfig {
  std::string nick = "fmn";
  std::string user = "fmn";
  std::string realname = "Fedora Notifications";
  std::string sasl_user;  // SASL PLAIN when non-empty
  std::string sasl_password;
  double target_lines_per_second = 1.0;
  double target_burst = 3;
  double connection_lines_per_second = 5.0;
  double connection_burst = 10;
  size_t max_queued_per_target = 1000;
  size_t max_event_bytes = 2048;  // of one notification's text: about five lines
  BackoffPolicy reconnect{std::chrono::milliseconds(1000), std::chrono::milliseconds(60'000)};
  BackoffPolicy absent_target{std::chrono::milliseconds(2000), std::chrono::milliseconds(60'000)};
  std::chrono::milliseconds registration_timeout{30'000};
  std::chrono::milliseconds confirm_timeout{30'000};
  double answers_per_second = 0.5;  // confirmation answers taken, all senders together
  double answers_burst = 5;
  IrcLineLimits limits;
  RenderConfig render;
};

class IrcSink : public Sink {
 public:
  // `clock` outlives the sink. `on_answer` records answers sent to the bot (none: they are
  // told to open the link instead).
  IrcSink(std::unique_ptr<IrcTransport> transport, IrcConfig config,
          std::shared_ptr<const TemplateSet> templates = TemplateSet::builtin(),
          Clock& clock = SystemClock::instance(), FailureHandler on_failure = {},
          ConfirmationHandler on_answer = {});

  std::string_view name() const override { return "irc"; }
  void deliver(std::span<const Notification> batch) override;
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<NotificationSettled> settled) override;
  void tick() override { pump(std::chrono::milliseconds(0)); }
  size_t drain(std::chrono::milliseconds grace) override;
  // Sends a confirmation request to a new nick (the only message it gets until confirmed).
  void send_confirmation(const ConfirmationRequest& request) override;

  // Waits up to `wait` for server input, then processes it and sends what is allowed.
  void pump(std::chrono::milliseconds wait);

  bool registered() const { return state_ == State::kReady; }
  // Lines waiting to be sent (not those sent and awaiting confirmation).
  size_t queued() const;
  const std::string& current_nick() const { return nick_; }
  const IrcAnswerCounters& answer_counters() const { return answer_counters_; }

 private:
  enum class State { kDisconnected, kRegistering, kReady };
  struct Target {
    std::deque<IrcPrivmsg> lines;
    TokenBucket bucket;
    size_t put_back = 0;  // lines at the front that were sent before and are to be sent again
    std::chrono::steady_clock::time_point not_before;  // retry time after a 401
  };

  void connect(std::chrono::steady_clock::time_point now);
  void disconnect(const std::string& why, std::chrono::steady_clock::time_point now);
  void handle(const std::string& line, std::chrono::steady_clock::time_point now);
  void send_queued(std::chrono::steady_clock::time_point now);
  void confirm(std::string_view token, std::chrono::steady_clock::time_point now);
  // A PRIVMSG to the bot: an answer applied and replied to, or counted and ignored.
  void answer(const std::string& line, std::chrono::steady_clock::time_point now);
  // Puts lines sent before back in front of their targets' queues, in their order.
  void put_back(std::vector<IrcPrivmsg> lines);
  // Gives up `refused` (refused once too often) and every line queued for its nick.
  void give_up(IrcPrivmsg& refused);
  bool send(std::string_view line, std::chrono::steady_clock::time_point now);
  // Sends in one write; false (and disconnected) when it failed.
  bool send_lines(const std::vector<std::string>& lines, std::chrono::steady_clock::time_point now);
  // Queues `text` for `nick` as PRIVMSG lines, `settled` on the last; false when the nick is
  // invalid (`settled` is not called then).
  bool enqueue(const std::string& nick, std::string_view text, NotificationSettled settled = {});
  // Renders and queues one notification; counts and reports it when its nick is invalid.
  bool enqueue_notification(const Notification& n, NotificationSettled settled);
  // A line leaves the sink for good: confirmed, or given up or dropped (`failure`).
  static void finished(IrcPrivmsg& line, std::string_view failure = {});

  std::unique_ptr<IrcTransport> transport_;
  IrcConfig config_;
  Renderer renderer_;
  Clock& clock_;
  FailureHandler on_failure_;
  ConfirmationHandler on_answer_;
  State state_ = State::kDisconnected;
  bool holding_back_ = false;  // draining: no new lines, only confirmations awaited
  std::string nick_;
  uint32_t failed_connects_ = 0;
  std::chrono::steady_clock::time_point next_connect_{};
  std::chrono::steady_clock::time_point registration_deadline_{};
  std::map<std::string, Target, std::less<>> targets_;
  IrcReceipts receipts_;
  TokenBucket connection_bucket_;
  TokenBucket answers_bucket_;
  IrcAnswerCounters answer_counters_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::string rendered_;
  std::vector<std::string> incoming_;
};

}  // namespace fmn::sinks
