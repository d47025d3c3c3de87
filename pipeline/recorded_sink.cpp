#include "pipeline/recorded_sink.h"

#include <memory>
#include <vector>

namespace fmn::pipeline {

sinks::FailureHandler FailureWatch::watch(sinks::FailureHandler next) {
  return [this, next = std::move(next)](const sinks::DeliveryFailure& failure) {
    last_ = failure;
    if (next) next(failure);
  };
}

std::optional<std::string> FailureWatch::take(std::string_view user, std::string_view address) {
  if (!last_ || last_->address != address || (!last_->user.empty() && last_->user != user)) {
    return std::nullopt;
  }
  std::optional<std::string> detail = last_->detail;
  if (last_->notifications <= 1) {
    last_.reset();
  } else {
    --last_->notifications;
  }
  return detail;
}

void RecordedSink::record(const Notification& n, sinks::DeliveryStatus otherwise) {
  std::optional<std::string> failure = watch_.take(n.user, n.address);
  if (failure) {
    recorder_.record(n, sinks::DeliveryStatus::kFailed, std::move(*failure));
  } else {
    recorder_.record(n, otherwise);
  }
}

void RecordedSink::deliver(std::span<const Notification> batch) {
  std::vector<sinks::NotificationSettled> none(batch.size());
  deliver_confirmed(batch, none);
}

void RecordedSink::deliver_confirmed(std::span<const Notification> batch,
                                     std::span<sinks::NotificationSettled> settled) {
  watch_.clear();
  std::vector<sinks::NotificationSettled> wrapped;
  wrapped.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    sinks::NotificationSettled outer = i < settled.size() ? std::move(settled[i]) : nullptr;
    // Around a batcher, only the notifications it holds for a digest: it hands the others on
    // to the kOutcomes place.
    if (records_ == Records::kHeldForDigest && batch[i].digest.immediate()) {
      wrapped.push_back(outer ? std::move(outer) : [] {});
      continue;
    }
    wrapped.push_back([this, n = batch[i], outer = std::move(outer)] {
      record(n, records_ == Records::kHeldForDigest ? sinks::DeliveryStatus::kPendingDigest
                                                    : sinks::DeliveryStatus::kSent);
      if (outer) outer();
    });
  }
  inner_.deliver_confirmed(batch, wrapped);
}

void RecordedSink::deliver_digest(const sinks::Digest& digest, sinks::DigestSettled settled) {
  watch_.clear();
  if (records_ == Records::kHeldForDigest || digest.items.empty()) {
    inner_.deliver_digest(digest, std::move(settled));
    return;
  }
  inner_.deliver_digest(digest, [this, items = digest.items, outer = std::move(settled)] {
    std::optional<std::string> failure = watch_.take(items.front().user, items.front().address);
    for (const Notification& n : items) {
      if (failure) {
        recorder_.record(n, sinks::DeliveryStatus::kFailed, *failure);
      } else {
        recorder_.record(n, sinks::DeliveryStatus::kSent);
      }
    }
    if (outer) outer();
  });
}

void RecordedSink::tick() {
  watch_.clear();
  inner_.tick();
}

size_t RecordedSink::drain(std::chrono::milliseconds grace) {
  watch_.clear();
  return inner_.drain(grace);
}

}  // namespace fmn::pipeline
