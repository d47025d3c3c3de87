// DeliveryRouter: the graph's last stage. Splits each batch of notifications by destination
// kind and hands every part to that kind's SinkWorker (its own queue and thread).
//
// A notification for a kind with no worker (e.g. email when no SMTP server is configured) is
// counted as unrouted, never silently lost. A notification whose destination (or user) is muted
// when it reaches the router (DigestPolicy::muted, at the clock's wall time) is dropped before
// any worker, batcher or outbox sees it: counted as muted and handed to the muted handler (the
// delivery history), so it is neither sent now nor later. deliver() is called by one thread at
// a time; the counters may be read from any thread.
#pragma once

#include <array>
#include <atomic>
#include <functional>

#include "core/clock.h"

#include "pipeline/sink_worker.h"
#include "sinks/sink.h"

namespace fmn::pipeline {

class DeliveryRouter : public sinks::Sink {
 public:
  // Told of each notification dropped because it is muted; called on deliver()'s thread.
  using MutedHandler = std::function<void(const Notification&)>;
  // `clock` (whose wall time decides whether a mute is over) outlives the router.
  explicit DeliveryRouter(const Clock& clock = SystemClock::instance(), MutedHandler muted = {})
      : clock_(clock), on_muted_(std::move(muted)) {}

  // `worker` outlives the router.
  void route(DestinationKind kind, SinkWorker& worker);
  bool routes(DestinationKind kind) const { return workers_[static_cast<size_t>(kind)] != nullptr; }
  // Routes every kind that has no worker yet (every kind of core/destination_kinds.h) to `worker`.
  void route_unrouted(SinkWorker& worker);

  std::string_view name() const override { return "router"; }
  // deliver() copies each notification it routes; deliver_owned() moves it.
  void deliver(std::span<const Notification> batch) override;
  void deliver_owned(std::span<Notification> batch) override;
  uint64_t unrouted() const { return unrouted_.load(std::memory_order_relaxed); }
  uint64_t muted() const { return muted_.load(std::memory_order_relaxed); }
  // Hands a confirmation request to its kind's worker; false when the kind has none.
  // Thread-safe once the routes are set.
  bool send_confirmation(sinks::ConfirmationRequest request);
  // Hands one notification to its kind's worker beside the batches (SinkWorker::send_single);
  // false when the kind has none. Thread-safe once the routes are set.
  bool send_single(Notification notification);

 private:
  // `N`: Notification (moved into the parts) or const Notification (copied).
  template <typename N>
  void split(std::span<N> batch);
  SinkWorker* worker(DestinationKind kind) const;  // null: none routed

  static constexpr size_t kKinds = kDestinationKindCount;
  const Clock& clock_;
  const MutedHandler on_muted_;
  std::array<SinkWorker*, kKinds> workers_{};
  std::atomic<uint64_t> unrouted_{0}, muted_{0};
};

}  // namespace fmn::pipeline
