// RecordedSink: wraps a sink and tells the delivery history (history_recorder.h) what became of
// each notification it was given, once the sink has settled it.
//
// Two places in a destination kind's chain (worker -> batcher -> sink) record:
//  - kOutcomes, around the sink itself: each notification settled is "sent", or "failed" with
//    the reason the sink gave up on it (sinks/settled.h); each item of a digest likewise, with
//    its own outcome (one email fares as a whole, a webhook digest's requests each their own),
//    recorded once every item is settled. Outcomes are passed on before anything is recorded:
//    what they let the chain mark durably (delivered, the digest sent) is what stops a resend
//    after a crash, so nothing stands between the destination's answer and that mark.
//  - kHeldForDigest, around the digest batcher: a notification the user wants in a digest is
//    recorded "pending_digest" once the batcher holds it (kOutcomes records it again when the
//    digest goes out).
// A sink with no batcher in front (SSE, stdout) has only kOutcomes, which records whatever it
// is given: behind a batcher, that is the immediate notifications and the digests.
// Thread-safety: like any sink, one thread at a time (the kind's worker).
#pragma once

#include <string_view>
#include <vector>

#include "pipeline/history_recorder.h"
#include "sinks/sink.h"

namespace fmn::pipeline {

class RecordedSink : public sinks::Sink {
 public:
  enum class Records { kOutcomes, kHeldForDigest };
  // `inner` and `recorder` outlive the sink.
  RecordedSink(sinks::Sink& inner, Records records, HistoryRecorder& recorder)
      : inner_(inner), records_(records), recorder_(recorder) {}

  std::string_view name() const override { return inner_.name(); }
  void deliver(std::span<const Notification> batch) override;
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<sinks::NotificationSettled> settled) override;
  void deliver_digest(const sinks::Digest& digest,
                      std::span<sinks::NotificationSettled> settled) override;
  void send_confirmation(const sinks::ConfirmationRequest& request) override {
    inner_.send_confirmation(request);
  }
  void tick() override { inner_.tick(); }
  size_t drain(std::chrono::milliseconds grace) override { return inner_.drain(grace); }

 private:
  // `settled` wrapped so that each notification is recorded as it is settled.
  std::vector<sinks::NotificationSettled> recorded(std::span<const Notification> batch,
                                                   std::span<sinks::NotificationSettled> settled);
  // Records `n` failed with `failure` when there is one, `otherwise` if not.
  void record(const Notification& n, std::string_view failure, sinks::DeliveryStatus otherwise);

  sinks::Sink& inner_;
  const Records records_;
  HistoryRecorder& recorder_;
};

}  // namespace fmn::pipeline
