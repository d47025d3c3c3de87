// The embedded DigestStore: everything in process memory, lost on restart (the start-up log
// says so). Dedupe ids expire after `ttl`, pruned as new ids arrive.
#pragma once

#include <deque>
#include <map>
#include <unordered_map>

#include "core/clock.h"
#include "sinks/digest_store.h"

namespace fmn::sinks {

class MemoryDigestStore : public DigestStore {
 public:
  explicit MemoryDigestStore(std::chrono::seconds ttl = std::chrono::hours(48),
                             const Clock& clock = SystemClock::instance())
      : ttl_(ttl), clock_(clock) {}

  Result<bool> mark_once(std::string_view id) override;
  Result<bool> seen(std::string_view id) override;
  Result<bool> forget(std::string_view id) override;
  Result<size_t> add(std::string_view key, std::string_view id, std::string_view item,
                     int64_t due_ms, int64_t hold_ms) override;
  Result<std::vector<std::string>> due(int64_t now_ms) override;
  Result<std::vector<std::string>> take(std::string_view key) override;
  Result<bool> done(std::string_view key) override;
  Result<std::vector<std::string>> in_flight() override;
  Result<std::vector<PendingDigest>> pending() override;
  Result<bool> expedite(std::string_view key, int64_t due_ms) override;
  std::string describe() const override { return "memory"; }

 private:
  struct Pending {
    std::vector<std::string> items;
    int64_t due_ms = 0;
  };
  std::chrono::seconds ttl_;
  const Clock& clock_;
  std::map<std::string, Pending, std::less<>> pending_;
  std::map<std::string, std::vector<std::string>, std::less<>> in_flight_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> seen_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::string>> expiry_;
};

}  // namespace fmn::sinks
