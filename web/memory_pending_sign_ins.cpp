#include "web/memory_pending_sign_ins.h"

namespace fmn::web {

MemoryPendingSignIns::MemoryPendingSignIns(PendingSignInsConfig config, const Clock& clock)
    : config_(config), clock_(clock) {}

void MemoryPendingSignIns::drop_expired(Clock::time_point now) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
    by_state_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
}

Result<bool> MemoryPendingSignIns::add(oidc::PendingSignIn pending) {
  const Clock::time_point now = clock_.steady();
  std::lock_guard lock(mu_);
  drop_expired(now);
  while (!by_expiry_.empty() && by_state_.size() >= config_.capacity) {
    by_state_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  if (config_.capacity == 0) return false;
  std::string state = pending.state;
  const Clock::time_point expires = now + config_.ttl;
  auto [it, added] = by_state_.try_emplace(state, Entry{std::move(pending), expires});
  if (!added) return false;  // keep the first
  by_expiry_.emplace(expires, std::move(state));
  return true;
}

Result<std::optional<oidc::PendingSignIn>> MemoryPendingSignIns::take(std::string_view state) {
  const Clock::time_point now = clock_.steady();
  std::lock_guard lock(mu_);
  drop_expired(now);
  auto it = by_state_.find(state);
  if (it == by_state_.end()) return std::optional<oidc::PendingSignIn>();
  auto [first, last] = by_expiry_.equal_range(it->second.expires);
  for (auto e = first; e != last; ++e) {
    if (e->second == it->first) {
      by_expiry_.erase(e);
      break;
    }
  }
  oidc::PendingSignIn pending = std::move(it->second.pending);
  by_state_.erase(it);
  return std::optional<oidc::PendingSignIn>(std::move(pending));
}

size_t MemoryPendingSignIns::size() const {
  std::lock_guard lock(mu_);
  return by_state_.size();
}

}  // namespace fmn::web
