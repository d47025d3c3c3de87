#include "pipeline/delivery_failures.h"

#include <string>

#include "core/destination_address.h"
#include "core/log.h"

namespace fmn::pipeline {

sinks::FailureHandler DeliveryFailures::handler(DestinationKind kind) {
  const size_t k = static_cast<size_t>(kind);
  if (!registered_[k]) {
    registered_[k] = true;
    for (bool permanent : {true, false}) {
      const std::atomic<uint64_t>& n = counts_[k][permanent ? 1 : 0];
      registry_.counter_fn(
          "fmn_delivery_failures_total",
          "Deliveries given up, by destination kind and reason: refused (the destination refused "
          "them for good) or gave_up (out of attempts, unusable, dropped).",
          [&n] { return static_cast<double>(n.load(std::memory_order_relaxed)); },
          {{"sink", std::string(destination_kind_info(kind).metrics_label)},
           {"reason", permanent ? "refused" : "gave_up"}});
    }
  }
  return [this, kind](const sinks::DeliveryFailure& failure) { report(kind, failure); };
}

void DeliveryFailures::report(DestinationKind kind, const sinks::DeliveryFailure& failure) {
  counts_[static_cast<size_t>(kind)][failure.permanent ? 1 : 0].fetch_add(
      1, std::memory_order_relaxed);
  const log::Fields fields{{"user", failure.user},
                           {"kind", destination_kind_name(kind)},
                           {"address", redacted_address(failure.address)},
                           {"detail", failure.detail}};
  if (failure.permanent) {
    log::error("delivery_refused", fields);
  } else {
    log::warn("delivery_failed", fields);
  }
}

}  // namespace fmn::pipeline
