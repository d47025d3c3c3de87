#include "sinks/memory_digest_store.h"

#include "core/bounded_id.h"

namespace fmn::sinks {

Result<bool> MemoryDigestStore::mark_once(std::string_view id) {
  const auto now = clock_.steady();
  while (!expiry_.empty() && expiry_.front().first <= now) {
    const auto it = seen_.find(expiry_.front().second);
    if (it != seen_.end() && it->second <= now) seen_.erase(it);
    expiry_.pop_front();
  }
  const auto [it, inserted] = seen_.try_emplace(bounded_id(id), now + ttl_);
  if (!inserted) return false;
  expiry_.emplace_back(it->second, it->first);
  return true;
}

Result<bool> MemoryDigestStore::forget(std::string_view id) {
  seen_.erase(bounded_id(id));  // its expiry_ entry finds nothing to erase
  return true;
}

Result<bool> MemoryDigestStore::seen(std::string_view id) {
  const auto it = seen_.find(bounded_id(id));
  return it != seen_.end() && it->second > clock_.steady();
}

Result<size_t> MemoryDigestStore::add(std::string_view key, std::string_view id,
                                      std::string_view item, int64_t due_ms, int64_t hold_ms) {
  auto once = mark_once(id);
  if (!once.value()) return size_t{0};
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    it = pending_.emplace(std::string(key), Pending{{}, due_ms}).first;
  } else if (it->second.due_ms < hold_ms) {
    it->second.due_ms = hold_ms;
  }
  it->second.items.emplace_back(item);
  return it->second.items.size();
}

Result<std::vector<std::string>> MemoryDigestStore::due(int64_t now_ms) {
  std::vector<std::string> keys;
  for (const auto& [key, pending] : pending_) {
    if (pending.due_ms <= now_ms) keys.push_back(key);
  }
  return keys;
}

Result<std::vector<std::string>> MemoryDigestStore::take(std::string_view key) {
  auto& flight = in_flight_[std::string(key)];
  const auto it = pending_.find(key);
  if (it != pending_.end()) {
    for (std::string& item : it->second.items) flight.push_back(std::move(item));
    pending_.erase(it);
  }
  return flight;
}

Result<bool> MemoryDigestStore::done(std::string_view key) {
  const auto it = in_flight_.find(key);
  if (it != in_flight_.end()) in_flight_.erase(it);
  return true;
}

Result<std::vector<std::string>> MemoryDigestStore::in_flight() {
  std::vector<std::string> keys;
  for (const auto& entry : in_flight_) keys.push_back(entry.first);
  return keys;
}

Result<std::vector<PendingDigest>> MemoryDigestStore::pending() {
  std::vector<PendingDigest> out;
  for (const auto& [key, p] : pending_) out.push_back({key, p.items.size(), p.due_ms});
  return out;
}

Result<bool> MemoryDigestStore::expedite(std::string_view key, int64_t due_ms) {
  const auto it = pending_.find(key);
  if (it == pending_.end()) return false;
  it->second.due_ms = due_ms;
  return true;
}

}  // namespace fmn::sinks
