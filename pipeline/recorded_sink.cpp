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
  // Each item with its own outcome, passed on at once; the records wait until every item is
  // settled. The last item passed on is what lets the batcher record the digest sent (the mark
  // that stops it going out again after a crash), so no record may come before it.
  struct Outcomes {
    std::vector<Notification> items;
    std::vector<std::string> failures;  // each item's: empty when sent
    size_t left;
  };
  const size_t n = digest.items.size();
  auto outcomes =
      std::make_shared<Outcomes>(Outcomes{digest.items, std::vector<std::string>(n), n});
  std::vector<sinks::NotificationSettled> wrapped;
  wrapped.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    sinks::NotificationSettled outer;
    if (i < settled.size()) outer = std::move(settled[i]);
    wrapped.emplace_back(
        [this, i, outcomes, outer = std::move(outer)](std::string_view failure) mutable {
          pass_on(outer, failure);
          outcomes->failures[i] = failure;
          if (--outcomes->left > 0) return;
          for (size_t j = 0; j < outcomes->items.size(); ++j) {
            record(outcomes->items[j], outcomes->failures[j], sinks::DeliveryStatus::kSent);
          }
        });
  }
  inner_.deliver_digest(digest, wrapped);
}

}  // namespace fmn::pipeline
