#include "sinks/memory_delivery_history.h"

namespace fmn::sinks {

Result<bool> MemoryDeliveryHistory::append(const std::vector<DeliveryRecord>& records) {
  std::lock_guard lock(mu_);
  for (const DeliveryRecord& record : records) {
    auto it = users_.find(record.user);
    if (it == users_.end()) {
      if (users_.size() >= limits_.max_users && !lru_.empty()) {
        users_.erase(lru_.back());
        lru_.pop_back();
      }
      lru_.push_front(record.user);
      it = users_.emplace(record.user, UserHistory{{}, lru_.begin()}).first;
    } else {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
    }
    std::deque<DeliveryRecord>& kept = it->second.records;
    kept.push_front(record);
    while (kept.size() > limits_.per_user) kept.pop_back();
  }
  return true;
}

Result<std::vector<DeliveryRecord>> MemoryDeliveryHistory::recent(std::string_view user,
                                                                  size_t offset, size_t limit) {
  std::lock_guard lock(mu_);
  std::vector<DeliveryRecord> out;
  auto it = users_.find(std::string(user));
  if (it == users_.end()) return out;
  const std::deque<DeliveryRecord>& kept = it->second.records;
  for (size_t i = offset; i < kept.size() && out.size() < limit; ++i) out.push_back(kept[i]);
  return out;
}

}  // namespace fmn::sinks
