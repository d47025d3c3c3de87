#include "sinks/irc_sink.h"

#include <thread>
#include <utility>

#include "sinks/text_escape.h"

namespace fmn::sinks {
namespace {

// The command of a server line (":prefix CMD params" or "CMD params") and its first parameter.
struct Parsed {
  std::string_view command, rest;
};

Parsed parse(std::string_view line) {
  if (!line.empty() && line.front() == ':') {
    const size_t space = line.find(' ');
    line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  }
  const size_t space = line.find(' ');
  if (space == std::string_view::npos) return {line, {}};
  return {line.substr(0, space), line.substr(space + 1)};
}

// The last parameter of a command's parameters: the trailing one (after " :"), or the last word.
std::string_view last_parameter(std::string_view params) {
  if (params.starts_with(':')) return params.substr(1);
  if (const size_t colon = params.find(" :"); colon != std::string_view::npos) {
    return params.substr(colon + 2);
  }
  const size_t space = params.rfind(' ');
  return space == std::string_view::npos ? params : params.substr(space + 1);
}

// The parameter after the first (numerics put the client's own nick first).
std::string_view second_parameter(std::string_view params) {
  const size_t start = params.find(' ');
  if (start == std::string_view::npos) return {};
  params.remove_prefix(start + 1);
  return params.substr(0, params.find(' '));
}

template <typename Lines>
size_t notifications_in(const Lines& lines) {
  size_t n = 0;
  for (const IrcPrivmsg& line : lines) n += line.last_of_notification ? 1 : 0;
  return n;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[v & 63] : '=';
  }
  return out;
}

// Configuration text that goes into a command: one line, no spaces where a parameter ends.
std::string parameter(std::string_view text) {
  std::string out;
  append_one_line(out, text);
  for (char& c : out) {
    if (c == ' ') c = '_';
  }
  return out.empty() ? "fmn" : out;
}

}  // namespace

IrcSink::IrcSink(std::unique_ptr<IrcTransport> transport, IrcConfig config,
                 std::shared_ptr<const TemplateSet> templates, Clock& clock,
                 FailureHandler on_failure, ConfirmationHandler on_answer)
    : transport_(std::move(transport)),
      config_(std::move(config)),
      renderer_(std::move(templates), config_.render),
      clock_(clock),
      on_failure_(std::move(on_failure)),
      on_answer_(std::move(on_answer)),
      nick_(parameter(config_.nick)),
      connection_bucket_(config_.connection_lines_per_second, config_.connection_burst,
                         clock.steady()),
      answers_bucket_(config_.answers_per_second, config_.answers_burst, clock.steady()) {}

size_t IrcSink::queued() const {
  size_t n = 0;
  for (const auto& entry : targets_) n += entry.second.lines.size();
  return n;
}

void IrcSink::deliver(std::span<const Notification> batch) {
  for (const Notification& n : batch) enqueue_notification(n, {});
  pump(std::chrono::milliseconds(0));
}

void IrcSink::deliver_confirmed(std::span<const Notification> batch,
                                std::span<NotificationSettled> settled) {
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!enqueue_notification(batch[i], settled[i])) settled[i].give_up("irc: invalid nick");
  }
  pump(std::chrono::milliseconds(0));
}

bool IrcSink::enqueue_notification(const Notification& n, NotificationSettled settled) {
  rendered_.clear();
  renderer_.irc_line(n, rendered_);
  if (rendered_.size() > config_.max_event_bytes) {
    std::string link;
    renderer_.append_message_url(link, n);
    rendered_.resize(utf8_prefix(rendered_, config_.max_event_bytes / 2).size());
    rendered_ += " [\u2026] ";
    rendered_ += utf8_prefix(link, config_.max_event_bytes / 2);
    counters_.truncated.fetch_add(1, std::memory_order_relaxed);
  }
  if (enqueue(std::string(n.address()), rendered_, std::move(settled))) return true;
  counters_.rejected.fetch_add(1, std::memory_order_relaxed);
  if (on_failure_)
    on_failure_({std::string(n.user()), std::string(n.address()), false, "irc: invalid nick"});
  return false;
}

void IrcSink::finished(IrcPrivmsg& line, std::string_view failure) {
  if (!line.settled) return;
  NotificationSettled settled = std::exchange(line.settled, {});
  if (failure.empty()) {
    settled();
  } else {
    settled.give_up(failure);
  }
}

void IrcSink::send_confirmation(const ConfirmationRequest& request) {
  rendered_.clear();
  renderer_.confirmation_irc(request, nick_, rendered_);
  if (!enqueue(request.address, rendered_)) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    if (on_failure_) on_failure_({request.user, request.address, false, "irc: invalid nick"});
  }
  pump(std::chrono::milliseconds(0));
}

bool IrcSink::enqueue(const std::string& nick, std::string_view text, NotificationSettled settled) {
  std::vector<std::string> lines = privmsg_lines(nick, text, config_.limits);
  if (lines.empty()) return false;
  auto it = targets_.find(nick);
  if (it == targets_.end()) {
    const TokenBucket bucket(config_.target_lines_per_second, config_.target_burst,
                             clock_.steady());
    it = targets_.emplace(nick, Target{{}, bucket}).first;
  }
  Target& target = it->second;
  for (size_t i = 0; i < lines.size(); ++i) {
    target.lines.push_back({nick, std::move(lines[i]), i + 1 == lines.size()});
  }
  target.lines.back().settled = std::move(settled);
  while (target.lines.size() > config_.max_queued_per_target) {
    if (target.lines.front().last_of_notification) {
      counters_.dropped.fetch_add(1, std::memory_order_relaxed);
    }
    finished(target.lines.front(), "irc: dropped, the nick's queue is full");
    target.lines.pop_front();
    if (target.put_back > 0) --target.put_back;
  }
  return true;
}

void IrcSink::pump(std::chrono::milliseconds wait) {
  auto now = clock_.steady();
  if (state_ == State::kDisconnected) {
    if (now < next_connect_) return;
    connect(now);
    if (state_ == State::kDisconnected) return;
  }
  if (!read_incoming(wait)) return;
  now = clock_.steady();
  if (state_ == State::kRegistering && now >= registration_deadline_) {
    disconnect("irc: registration timed out", now);
    return;
  }
  if (auto pinged = receipts_.oldest_checkpoint();
      pinged && now - *pinged >= config_.confirm_timeout) {
    disconnect("irc: the server did not answer PING", now);
    return;
  }
  if (state_ != State::kReady || holding_back_ || !send_queued(now)) return;
  if (config_.confirm_wait.count() > 0) read_incoming(config_.confirm_wait);
}

bool IrcSink::read_incoming(std::chrono::milliseconds wait) {
  incoming_.clear();
  auto read = transport_->read_lines(wait, incoming_);
  const auto now = clock_.steady();
  for (const std::string& line : incoming_) handle(line, now);
  if (!read) {
    disconnect(read.error().message, now);
    return false;
  }
  return true;
}

void IrcSink::connect(std::chrono::steady_clock::time_point now) {
  auto ok = transport_->connect();
  if (!ok) {
    disconnect(ok.error().message, now);
    return;
  }
  state_ = State::kRegistering;
  registration_deadline_ = now + config_.registration_timeout;
  bool sent = true;
  if (!config_.sasl_user.empty()) sent = send("CAP REQ :sasl", now);
  sent = sent && send("NICK " + nick_, now) &&
         send("USER " + parameter(config_.user) + " 0 * :" + parameter(config_.realname), now);
  if (!sent) disconnect("irc: registration could not be sent", now);
}

void IrcSink::disconnect(const std::string& why, std::chrono::steady_clock::time_point now) {
  transport_->close();
  std::vector<IrcPrivmsg> unconfirmed = receipts_.unconfirmed();
  counters_.retried.fetch_add(notifications_in(unconfirmed), std::memory_order_relaxed);
  put_back(std::move(unconfirmed));
  if (state_ == State::kReady) failed_connects_ = 0;
  state_ = State::kDisconnected;
  ++failed_connects_;
  const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  next_connect_ = now + config_.reconnect.delay(failed_connects_, unit);
  if (on_failure_) on_failure_({"", "", false, why});
}

void IrcSink::handle(const std::string& line, std::chrono::steady_clock::time_point now) {
  const Parsed p = parse(line);
  if (p.command == "PING") {
    std::string pong = "PONG ";
    pong += p.rest;
    send(pong, now);
  } else if (p.command == "PONG") {
    confirm(last_parameter(p.rest), now);
  } else if (p.command == "PRIVMSG") {
    answer(line, now);
  } else if (p.command == "401") {  // no such nick
    receipts_.refused(second_parameter(p.rest));
  } else if (p.command == "001") {
    state_ = State::kReady;
    failed_connects_ = 0;
  } else if (p.command == "433" && state_ == State::kRegistering) {  // nick in use
    nick_ += '_';
    send("NICK " + nick_, now);
  } else if (p.command == "CAP" && p.rest.find("ACK") != std::string_view::npos) {
    send("AUTHENTICATE PLAIN", now);
  } else if (p.command == "AUTHENTICATE" && p.rest == "+") {
    std::string credentials = config_.sasl_user;
    credentials += '\0';
    credentials += config_.sasl_user;
    credentials += '\0';
    credentials += config_.sasl_password;
    send("AUTHENTICATE " + base64(credentials), now);
  } else if (p.command == "903" || p.command == "904" || p.command == "905" ||
             (p.command == "CAP" && p.rest.find("NAK") != std::string_view::npos)) {
    if (p.command != "903" && on_failure_) {
      on_failure_({"", "", false, "irc: SASL authentication failed: " + line});
    }
    send("CAP END", now);
  }
}

void IrcSink::answer(const std::string& line, std::chrono::steady_clock::time_point now) {
  IrcAnswer parsed;
  const IrcAnswerKind kind = parse_irc_answer(line, nick_, parsed);
  if (kind == IrcAnswerKind::kNotForBot) return;
  if (kind == IrcAnswerKind::kGarbage || !answers_bucket_.try_take(now)) {
    answer_counters_.ignored.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  answer_counters_.answered.fetch_add(1, std::memory_order_relaxed);
  const ConfirmationOutcome outcome =
      on_answer_
          ? on_answer_({parsed.user, std::string(destination_kind_name(DestinationKind::kIrc)),
                        parsed.nick, parsed.code, parsed.accept})
          : ConfirmationOutcome::kUnavailable;
  connection_bucket_.try_take(now);  // the reply counts against the connection's pace
  send(irc_answer_notice(parsed, outcome), now);
}

bool IrcSink::send_queued(std::chrono::steady_clock::time_point now) {
  // Rounds of at most one line per target (so one busy target cannot starve the others, and a
  // 401 names one line), each written at once with the PING that will confirm it: a server
  // that reads the round handles it all, PONG included, or none of it.
  std::vector<Target*> round;
  std::vector<std::string> lines;
  bool wrote = false;
  do {
    round.clear();
    lines.clear();
    for (auto& [nick, target] : targets_) {
      if (target.lines.empty() || now < target.not_before) continue;
      if (connection_bucket_.next_available(now) > now) break;
      if (!target.bucket.try_take(now)) continue;
      connection_bucket_.try_take(now);
      round.push_back(&target);
      lines.push_back(target.lines.front().text);
    }
    if (round.empty()) return wrote;
    wrote = true;
    for (Target* target : round) {
      receipts_.sent(std::move(target->lines.front()));
      target->lines.pop_front();
      if (target->put_back > 0) --target->put_back;
    }
    lines.push_back("PING :" + receipts_.checkpoint(now));
  } while (send_lines(lines, now));
  return false;  // disconnected: nothing to wait for
}

void IrcSink::confirm(std::string_view token, std::chrono::steady_clock::time_point now) {
  IrcReceipts::Settled settled = receipts_.confirmed(token);
  counters_.delivered.fetch_add(notifications_in(settled.accepted), std::memory_order_relaxed);
  for (IrcPrivmsg& line : settled.accepted) finished(line);
  std::vector<IrcPrivmsg> retry;
  for (IrcPrivmsg& line : settled.refused) {
    if (++line.refusals > config_.absent_target.max_attempts) {
      give_up(line);
      continue;
    }
    Target& target = targets_.find(line.target)->second;
    const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    target.not_before =
        std::max(target.not_before, now + config_.absent_target.delay(line.refusals, unit));
    if (line.last_of_notification) counters_.retried.fetch_add(1, std::memory_order_relaxed);
    retry.push_back(std::move(line));
  }
  put_back(std::move(retry));
}

void IrcSink::put_back(std::vector<IrcPrivmsg> lines) {
  for (IrcPrivmsg& line : lines) {
    Target& target = targets_.find(line.target)->second;  // targets are never removed
    target.lines.insert(target.lines.begin() + static_cast<long>(target.put_back), std::move(line));
    ++target.put_back;
  }
}

void IrcSink::give_up(IrcPrivmsg& refused) {
  Target& target = targets_.find(refused.target)->second;
  const size_t notifications =
      notifications_in(target.lines) + (refused.last_of_notification ? 1 : 0);
  counters_.failed.fetch_add(notifications, std::memory_order_relaxed);
  if (on_failure_ && notifications > 0) {
    on_failure_({"", refused.target, false,
                 "irc: " + refused.target + " is not on the server; " +
                     std::to_string(notifications) + " notification(s) given up"});
  }
  const std::string why = "irc: " + refused.target + " is not on the server";
  finished(refused, why);
  for (IrcPrivmsg& line : target.lines) finished(line, why);
  target.lines.clear();
  target.put_back = 0;
}

size_t IrcSink::drain(std::chrono::milliseconds grace) {
  // The grace period is real time (the process is stopping); pacing still follows the clock.
  // Lines go out during its first three quarters; the last quarter only waits for the PONGs,
  // so a line is rarely left sent but unconfirmed (it would be sent again after a restart).
  using Steady = std::chrono::steady_clock;
  const auto start = Steady::now();
  const auto stop_sending = start + grace * 3 / 4;
  const auto deadline = start + grace;
  constexpr auto kStep = std::chrono::milliseconds(50);
  for (auto now = start; now < deadline; now = Steady::now()) {
    holding_back_ = now >= stop_sending;
    if (receipts_.empty() && (holding_back_ || queued() == 0)) break;
    if (state_ == State::kDisconnected && clock_.steady() < next_connect_) {
      std::this_thread::sleep_for(kStep);  // waiting to reconnect
    }
    pump(kStep);
  }
  holding_back_ = true;
  if (state_ != State::kDisconnected) {
    (void)transport_->send_lines({"QUIT :fmn is stopping"});
    transport_->close();
    state_ = State::kDisconnected;
  }
  size_t left = notifications_in(receipts_.unconfirmed());
  for (const auto& entry : targets_) left += notifications_in(entry.second.lines);
  return left;
}

bool IrcSink::send(std::string_view line, std::chrono::steady_clock::time_point now) {
  return send_lines({std::string(line)}, now);
}

bool IrcSink::send_lines(const std::vector<std::string>& lines,
                         std::chrono::steady_clock::time_point now) {
  auto ok = transport_->send_lines(lines);
  if (!ok) {
    disconnect(ok.error().message, now);
    return false;
  }
  return true;
}

}  // namespace fmn::sinks
