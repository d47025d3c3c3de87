// RecordedSink: wraps a sink and tells the delivery history (history_recorder.h) what became of
// each notification it was given, once the sink has settled it.
//
// Two places in a destination kind's chain (worker -> batcher -> sink) record:
//  - kOutcomes, around the sink itself: each notification settled is "sent", or "failed" with
//    the reason when the sink reported a failure for its user and address while settling it
//    (sinks report a give-up to their FailureHandler just before settling, on the same thread;
//    FailureWatch catches it); each item of a digest likewise once the digest is settled.
//  - kHeldForDigest, around the digest batcher: a notification the user wants in a digest is
//    recorded "pending_digest" once the batcher holds it (kOutcomes records it again when the
//    digest goes out).
// A sink with no batcher in front (SSE, stdout) has only kOutcomes, which records whatever it
// is given: behind a batcher, that is the immediate notifications and the digests.
// Thread-safety: like any sink, one thread at a time (the kind's worker); the FailureWatch is
// used by that thread only.
#pragma once

#include <optional>

#include "pipeline/history_recorder.h"
#include "sinks/sink.h"

namespace fmn::pipeline {

// The failure a kind's sinks reported last, until the notifications it ends have settled.
class FailureWatch {
 public:
  // A handler that notes each failure, then passes it on to `next`.
  sinks::FailureHandler watch(sinks::FailureHandler next);
  // The reason of the failure noted for `user` at `address`, if any; counts one of the
  // notifications it ends, and forgets it after the last.
  std::optional<std::string> take(std::string_view user, std::string_view address);
  void clear() { last_.reset(); }

 private:
  std::optional<sinks::DeliveryFailure> last_;
};

class RecordedSink : public sinks::Sink {
 public:
  enum class Records { kOutcomes, kHeldForDigest };
  // `inner`, `watch` and `recorder` outlive the sink.
  RecordedSink(sinks::Sink& inner, Records records, FailureWatch& watch, HistoryRecorder& recorder)
      : inner_(inner), records_(records), watch_(watch), recorder_(recorder) {}

  std::string_view name() const override { return inner_.name(); }
  void deliver(std::span<const Notification> batch) override;
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<sinks::NotificationSettled> settled) override;
  void deliver_digest(const sinks::Digest& digest, sinks::DigestSettled settled) override;
  void send_confirmation(const sinks::ConfirmationRequest& request) override {
    inner_.send_confirmation(request);
  }
  void tick() override;
  size_t drain(std::chrono::milliseconds grace) override;

 private:
  // Records `n` failed if the watch holds a failure for it, `otherwise` if not.
  void record(const Notification& n, sinks::DeliveryStatus otherwise);

  sinks::Sink& inner_;
  const Records records_;
  FailureWatch& watch_;
  HistoryRecorder& recorder_;
};

}  // namespace fmn::pipeline
