// What the service does with the deliveries its sinks give up (sinks::FailureHandler): each is
// logged with its context and counted per destination kind and reason, so an operator sees a
// destination that refuses deliveries for good (an SMTP 550, an unknown IRC nick) instead of a
// bare failure count.
//
// The log line names the user, the kind and the address as redacted_address() shows it, never
// a secret. Permanent refusals are logged as errors ("delivery_refused"), other failures (out of
// attempts, unusable address, dropped from a full queue, store errors) as warnings
// ("delivery_failed"); both count in fmn_delivery_failures_total{sink, reason}, reason being
// "refused" or "gave_up". The preferences have no state for a failing destination yet, so
// nothing is written back to them.
//
// Construct and ask for handlers at start-up; the handlers may then be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "core/destination_kinds.h"
#include "core/metrics.h"
#include "sinks/sink.h"

namespace fmn::pipeline {

class DeliveryFailures {
 public:
  // `registry` outlives this object, which outlives the handlers it gives.
  explicit DeliveryFailures(metrics::Registry& registry) : registry_(registry) {}
  DeliveryFailures(const DeliveryFailures&) = delete;
  DeliveryFailures& operator=(const DeliveryFailures&) = delete;

  // The handler for the sinks of `kind` (a kind's sink and its batcher share one); the first
  // call for a kind registers its counters. Not thread-safe against other calls of handler().
  sinks::FailureHandler handler(DestinationKind kind);
  // Logs and counts one failure.
  void report(DestinationKind kind, const sinks::DeliveryFailure& failure);

 private:
  metrics::Registry& registry_;
  // [kind][permanent]
  std::array<std::array<std::atomic<uint64_t>, 2>, kDestinationKindCount> counts_{};
  std::array<bool, kDestinationKindCount> registered_{};
};

}  // namespace fmn::pipeline
