// RecentMessages: the last messages the pipeline parsed, held parsed in memory, so the web app
// can preview a rule over recent traffic (the interpreter over parsed messages, no JSON) and
// look one up by msg_id. Bounded twice: at most `max_messages`, none received more than
// `max_age` before the newest. The copy that outlives the process is in Redis
// (redis_recent_messages.h); this ring is what both the embedded demo and a Redis-backed
// service answer from.
//
// Thread-safe: one writer (the pipeline's recorder) and any number of readers.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/message.h"

namespace fmn::sinks {

struct RecentMessagesConfig {
  size_t max_messages = 100000;
  std::chrono::seconds max_age = std::chrono::hours(24 * 7);
};

struct RecentMessage {
  MessagePtr message;  // never null
  std::chrono::system_clock::time_point received;
};

class RecentMessages {
 public:
  explicit RecentMessages(RecentMessagesConfig config) : config_(config) {}

  // Adds `m` as the newest, then drops the oldest beyond max_messages and those received more
  // than max_age before it. REQUIRES: m.message != nullptr; received times do not go back.
  void add(RecentMessage m);

  // The held messages received after now - max_age, oldest first.
  std::vector<RecentMessage> snapshot(std::chrono::system_clock::time_point now) const;

  // The newest held message with this msg_id received after now - max_age; nullopt when none.
  std::optional<RecentMessage> find(std::string_view msg_id,
                                    std::chrono::system_clock::time_point now) const;

  size_t size() const;
  const RecentMessagesConfig& config() const { return config_; }

 private:
  void drop_oldest();  // REQUIRES: mu_ held, ring_ not empty

  const RecentMessagesConfig config_;
  mutable std::mutex mu_;
  std::deque<RecentMessage> ring_;  // oldest first
  // msg_id (a view into the message it names) -> that message, the newest with the id.
  std::unordered_map<std::string_view, RecentMessage> by_id_;
};

}  // namespace fmn::sinks
