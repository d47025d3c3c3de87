#include "pipeline/delivery_router.h"

#include <type_traits>

namespace fmn::pipeline {

void DeliveryRouter::route_unrouted(SinkWorker& worker) {
  for (SinkWorker*& w : workers_) {
    if (w == nullptr) w = &worker;
  }
}

void DeliveryRouter::route(DestinationKind kind, SinkWorker& worker) {
  workers_[static_cast<size_t>(kind)] = &worker;
}

void DeliveryRouter::deliver(std::span<const Notification> batch) { split(batch); }

void DeliveryRouter::deliver_owned(std::span<Notification> batch) { split(batch); }

template <typename N>
void DeliveryRouter::split(std::span<N> batch) {
  // Each part sized once, so no notification is moved again as a part grows.
  std::array<size_t, kKinds> sizes{};
  for (const Notification& n : batch) {
    if (const auto kind = static_cast<size_t>(n.destination); kind < kKinds) ++sizes[kind];
  }
  std::array<std::shared_ptr<std::vector<Notification>>, kKinds> parts;
  const WallTime now = clock_.wall();
  for (N& n : batch) {
    if (n.digest.muted(now)) {
      muted_.fetch_add(1, std::memory_order_relaxed);
      if (on_muted_) on_muted_(n);
      continue;
    }
    auto kind = static_cast<size_t>(n.destination);
    if (kind >= kKinds || workers_[kind] == nullptr) {
      unrouted_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (!parts[kind]) {
      parts[kind] = std::make_shared<std::vector<Notification>>();
      parts[kind]->reserve(sizes[kind]);
    }
    if constexpr (std::is_const_v<N>) {
      parts[kind]->push_back(n);
    } else {
      parts[kind]->push_back(std::move(n));
    }
  }
  for (size_t k = 0; k < kKinds; ++k) {
    if (parts[k]) workers_[k]->submit(std::move(parts[k]));
  }
}

SinkWorker* DeliveryRouter::worker(DestinationKind kind) const {
  const auto k = static_cast<size_t>(kind);
  return k < kKinds ? workers_[k] : nullptr;
}

bool DeliveryRouter::send_confirmation(sinks::ConfirmationRequest request) {
  SinkWorker* w = worker(request.kind);
  if (w != nullptr) w->send_confirmation(std::move(request));
  return w != nullptr;
}

bool DeliveryRouter::send_single(Notification notification) {
  SinkWorker* w = worker(notification.destination);
  if (w != nullptr) w->send_single(std::move(notification));
  return w != nullptr;
}

}  // namespace fmn::pipeline
