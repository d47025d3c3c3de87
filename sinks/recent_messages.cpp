#include "sinks/recent_messages.h"

namespace fmn::sinks {

void RecentMessages::add(RecentMessage m) {
  std::lock_guard lock(mu_);
  if (!m.message->msg_id.empty()) {
    // Erase, then insert: the key is a view into the message it maps to, so it must be the new
    // message's (insert_or_assign would keep the old key, which dies with the old message).
    by_id_.erase(m.message->msg_id);
    by_id_.emplace(m.message->msg_id, m);
  }
  ring_.push_back(std::move(m));
  const auto oldest_kept = ring_.back().received - config_.max_age;
  while (ring_.size() > config_.max_messages ||
         (!ring_.empty() && ring_.front().received < oldest_kept)) {
    drop_oldest();
  }
}

void RecentMessages::drop_oldest() {
  const Message& gone = *ring_.front().message;
  if (!gone.msg_id.empty()) {
    auto it = by_id_.find(gone.msg_id);
    if (it != by_id_.end() && it->second.message.get() == &gone) by_id_.erase(it);
  }
  ring_.pop_front();
}

std::vector<RecentMessage> RecentMessages::snapshot(
    std::chrono::system_clock::time_point now) const {
  const auto oldest_kept = now - config_.max_age;
  std::lock_guard lock(mu_);
  auto first = ring_.begin();
  while (first != ring_.end() && first->received < oldest_kept) ++first;
  return {first, ring_.end()};
}

std::optional<RecentMessage> RecentMessages::find(std::string_view msg_id,
                                                  std::chrono::system_clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(msg_id);
  if (it == by_id_.end() || it->second.received < now - config_.max_age) return std::nullopt;
  return it->second;
}

size_t RecentMessages::size() const {
  std::lock_guard lock(mu_);
  return ring_.size();
}

}  // namespace fmn::sinks
