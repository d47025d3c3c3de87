// The embedded DeliveryHistory: each user's newest records in process memory, lost on restart.
// At most limits.per_user records per user and limits.max_users users; when a new user would
// pass that, the user recorded least recently is forgotten. No expiry (ttl is Redis's).
#pragma once

#include <deque>
#include <list>
#include <mutex>
#include <unordered_map>

#include "sinks/delivery_history.h"

namespace fmn::sinks {

class MemoryDeliveryHistory : public DeliveryHistory {
 public:
  explicit MemoryDeliveryHistory(DeliveryHistoryLimits limits = {}) : limits_(limits) {}

  Result<bool> append(const std::vector<DeliveryRecord>& records) override;
  Result<std::vector<DeliveryRecord>> recent(std::string_view user, size_t offset,
                                             size_t limit) override;
  std::string describe() const override { return "memory"; }

 private:
  struct UserHistory {
    std::deque<DeliveryRecord> records;  // newest first
    std::list<std::string>::iterator lru;
  };

  const DeliveryHistoryLimits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, UserHistory> users_;
  std::list<std::string> lru_;  // users, recorded most recently first
};

}  // namespace fmn::sinks
