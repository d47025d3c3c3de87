#include "pipeline/delivery_router.h"

namespace fmn::pipeline {

void DeliveryRouter::route_unrouted(SinkWorker& worker) {
  for (SinkWorker*& w : workers_) {
    if (w == nullptr) w = &worker;
  }
}

void DeliveryRouter::route(DestinationKind kind, SinkWorker& worker) {
  workers_[static_cast<size_t>(kind)] = &worker;
}

void DeliveryRouter::deliver(std::span<const Notification> batch) {
  std::array<std::shared_ptr<std::vector<Notification>>, kKinds> parts;
  for (const Notification& n : batch) {
    auto kind = static_cast<size_t>(n.destination);
    if (kind >= kKinds || workers_[kind] == nullptr) {
      unrouted_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (!parts[kind]) parts[kind] = std::make_shared<std::vector<Notification>>();
    parts[kind]->push_back(n);
  }
  for (size_t k = 0; k < kKinds; ++k) {
    if (parts[k]) workers_[k]->submit(std::move(parts[k]));
  }
}

bool DeliveryRouter::send_confirmation(sinks::ConfirmationRequest request) {
  const auto kind = static_cast<size_t>(request.kind);
  if (kind >= kKinds || workers_[kind] == nullptr) return false;
  workers_[kind]->send_confirmation(std::move(request));
  return true;
}

}  // namespace fmn::pipeline
