#include "sinks/irc_receipts.h"

#include <charconv>

namespace fmn::sinks {
namespace {

constexpr std::string_view kTokenPrefix = "fmn-";

std::optional<uint64_t> round_of(std::string_view token) {
  if (!token.starts_with(kTokenPrefix)) return std::nullopt;
  token.remove_prefix(kTokenPrefix.size());
  uint64_t round = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), round);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return round;
}

}  // namespace

void IrcReceipts::sent(IrcPrivmsg line) { lines_.push_back({std::move(line), round_}); }

std::string IrcReceipts::checkpoint(time_point now) {
  if (lines_.empty() || lines_.back().round != round_) return "";
  pings_.emplace_back(round_, now);
  return std::string(kTokenPrefix) + std::to_string(round_++);
}

void IrcReceipts::refused(std::string_view target) {
  for (Entry& e : lines_) {
    if (!e.refused && e.line.target == target) {
      e.refused = true;
      return;
    }
  }
}

IrcReceipts::Settled IrcReceipts::confirmed(std::string_view token) {
  Settled out;
  const std::optional<uint64_t> round = round_of(token);
  if (!round) return out;
  while (!pings_.empty() && pings_.front().first <= *round) pings_.pop_front();
  while (!lines_.empty() && lines_.front().round <= *round) {
    Entry& e = lines_.front();
    (e.refused ? out.refused : out.accepted).push_back(std::move(e.line));
    lines_.pop_front();
  }
  return out;
}

std::vector<IrcPrivmsg> IrcReceipts::unconfirmed() {
  std::vector<IrcPrivmsg> out;
  for (Entry& e : lines_) out.push_back(std::move(e.line));
  lines_.clear();
  pings_.clear();
  return out;
}

std::optional<IrcReceipts::time_point> IrcReceipts::oldest_checkpoint() const {
  if (pings_.empty()) return std::nullopt;
  return pings_.front().second;
}

}  // namespace fmn::sinks
