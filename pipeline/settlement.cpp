#include "pipeline/settlement.h"

namespace fmn::pipeline {

void Settlement::read(uint64_t seq, std::span<const bus::RawMessage> items) {
  std::vector<uint64_t> origins;
  origins.reserve(items.size());
  for (const bus::RawMessage& m : items) origins.push_back(m.origin);
  std::lock_guard lock(mu_);
  read_.emplace(seq, std::move(origins));
}

void Settlement::handed_over(uint64_t seq) {
  Handed h;
  h.submitted.reserve(workers_.size());
  for (const SinkWorker* w : workers_) h.submitted.push_back(w->submitted());
  std::lock_guard lock(mu_);
  auto it = read_.find(seq);
  if (it == read_.end()) return;
  h.origins = std::move(it->second);
  read_.erase(it);
  handed_.push_back(std::move(h));
}

void Settlement::poll() {
  std::lock_guard order(settle_mu_);
  std::vector<uint64_t> done;
  {
    std::lock_guard lock(mu_);
    while (!handed_.empty()) {
      const Handed& front = handed_.front();
      bool delivered = true;
      for (size_t i = 0; i < workers_.size() && delivered; ++i) {
        delivered = workers_[i]->completed() >= front.submitted[i];
      }
      if (!delivered) break;
      done.insert(done.end(), front.origins.begin(), front.origins.end());
      handed_.pop_front();
    }
  }
  if (!done.empty()) settle_(done);
}

}  // namespace fmn::pipeline
