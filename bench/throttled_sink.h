// A slow destination for fmn-bench soak, as an SMTP server that takes its time or an IRC
// network flood-limiting us: it counts what reaches it (counters().delivered) but accepts at
// most `rate` notifications a second, its thread sleeping for each token (a token bucket
// holding a tenth of a second's worth). release() lifts the limit, so what is queued drains.
//
// Thread-safety: deliver() on the sink's thread; release() and the counters from any thread.
#pragma once

#include <atomic>

#include "sinks/sink.h"
#include "sinks/token_bucket.h"

namespace fmn::bench {

class ThrottledSink : public sinks::Sink {
 public:
  // REQUIRES: rate > 0.
  explicit ThrottledSink(double rate);

  std::string_view name() const override { return "throttled"; }
  void deliver(std::span<const Notification> batch) override;
  void release() { released_.store(true, std::memory_order_relaxed); }

 private:
  // Waits for a token; false (at once) once released.
  bool wait_for_token();

  sinks::TokenBucket bucket_;
  std::atomic<bool> released_{false};
};

}  // namespace fmn::bench
