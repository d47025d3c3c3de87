#include "pipeline/recorded_sink.h"

#include <vector>

namespace fmn::pipeline {
namespace {

// Passes what became of an item on to whoever handed it over.
void pass_on(sinks::Settled& outer, std::string_view failure) {
  if (failure.empty()) {
    outer();
  } else {
    outer.give_up(failure);
  }
}

}  // namespace

void RecordedSink::record(const Notification& n, std::string_view failure,
                          sinks::DeliveryStatus otherwise) {
  if (failure.empty()) {
    recorder_.record(n, otherwise);
  } else {
    recorder_.record(n, sinks::DeliveryStatus::kFailed, std::string(failure));
  }
}

void RecordedSink::deliver(std::span<const Notification> batch) {
  std::vector<sinks::NotificationSettled> none(batch.size());
  deliver_confirmed(batch, none);
}

std::vector<sinks::NotificationSettled> RecordedSink::recorded(
    std::span<const Notification> batch, std::span<sinks::NotificationSettled> settled) {
  const sinks::DeliveryStatus done = records_ == Records::kHeldForDigest
                                         ? sinks::DeliveryStatus::kPendingDigest
                                         : sinks::DeliveryStatus::kSent;
  std::vector<sinks::NotificationSettled> wrapped;
  wrapped.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    sinks::NotificationSettled outer;
    if (i < settled.size()) outer = std::move(settled[i]);
    // Around a batcher, only the notifications it holds for a digest: it hands the others on
    // to the kOutcomes place.
    if (records_ == Records::kHeldForDigest && batch[i].digest.immediate()) {
      wrapped.push_back(std::move(outer));
      continue;
    }
    // Passed on first: whoever handed it over marks it delivered, which is what stops a resend
    // after a crash, so that mark follows the destination's acceptance as closely as it can;
    // the record (a copy, and a wake-up of the recorder's thread) comes after.
    wrapped.emplace_back(
        [this, done, n = batch[i], outer = std::move(outer)](std::string_view failure) mutable {
          pass_on(outer, failure);
          record(n, failure, done);
        });
  }
  return wrapped;
}

void RecordedSink::deliver_confirmed(std::span<const Notification> batch,
                                     std::span<sinks::NotificationSettled> settled) {
  auto wrapped = recorded(batch, settled);
  inner_.deliver_confirmed(batch, wrapped);
}

void RecordedSink::deliver_digest(const sinks::Digest& digest,
                                  std::span<sinks::NotificationSettled> settled) {
  if (records_ == Records::kHeldForDigest) {
    inner_.deliver_digest(digest, settled);
    return;
  }
  auto wrapped = recorded(digest.items, settled);  // each item with its own outcome
  inner_.deliver_digest(digest, wrapped);
}

}  // namespace fmn::pipeline
