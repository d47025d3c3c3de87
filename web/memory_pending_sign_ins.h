// MemoryPendingSignIns: pending sign-ins (pending_sign_ins.h) in this process's memory.
// Thread-safe. The Clock outlives the store.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "web/pending_sign_ins.h"

namespace fmn::web {

class MemoryPendingSignIns : public PendingSignIns {
 public:
  explicit MemoryPendingSignIns(PendingSignInsConfig config = {},
                                const Clock& clock = SystemClock::instance());

  Result<bool> add(oidc::PendingSignIn pending) override;
  Result<std::optional<oidc::PendingSignIn>> take(std::string_view state) override;
  size_t size() const;

 private:
  struct Entry {
    oidc::PendingSignIn pending;
    Clock::time_point expires;
  };
  void drop_expired(Clock::time_point now);  // REQUIRES: mu_ held

  const PendingSignInsConfig config_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> by_state_;
  std::multimap<Clock::time_point, std::string> by_expiry_;  // oldest first (one ttl for all)
};

}  // namespace fmn::web
