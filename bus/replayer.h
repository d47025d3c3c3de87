// Plays a ReplayCorpus as fresh fedmsg traffic, like fedmsg-logger replaying a recording: every
// record, `loops` times over, paced (see pacer.h), each rewritten so no two messages look alike:
//   msg_id     "<year>-<run id: 8-4-4 hex>-<loop: 4 hex>-<message number: 12 hex>", UUID-shaped
//              and unique per run (the run id is random unless given);
//   i          numbered from 1 per publisher (see sequence_tracker.h), continuing across loops,
//              as the publishing processes would have;
//   timestamp  the wall-clock time of sending.
// For tests of gap detection, `skip_seq_at` names message numbers (1-based over the run) before
// which the publisher of that message skips one "i" value: a receiver then sees a gap of one
// (unless it is that publisher's first message, which nothing precedes).
//
// Sending goes through a callback so the same replay feeds a ZmqPublisher, a bench's socket or
// a test's vector. Thread-compatible.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/pacer.h"
#include "bus/replay_corpus.h"
#include "core/clock.h"

namespace fmn::bus {

struct ReplayOptions {
  uint32_t loops = 1;
  PacingOptions pacing;
  std::vector<uint64_t> skip_seq_at;
  uint64_t run_id = 0;  // 0: a random one
};

struct ReplaySummary {
  uint64_t sent = 0;
  uint64_t failed = 0;       // the callback returned false (dropped or socket error)
  uint64_t skipped_seq = 0;  // "i" values skipped on purpose
  uint32_t loops = 0;        // loops begun
  double seconds = 0;        // from the start to the last message, by the Clock
};

class Replayer {
 public:
  // Returns false when the message was not sent.
  using Send = std::function<bool(std::string_view topic, std::string_view payload)>;

  // `corpus` and `clock` must outlive the replayer.
  Replayer(const ReplayCorpus& corpus, ReplayOptions options,
           Clock& clock = SystemClock::instance());

  // Plays the corpus; returns early when `stop` becomes true.
  ReplaySummary run(const Send& send, const std::atomic<bool>* stop = nullptr);

  uint64_t run_id() const { return options_.run_id; }

  // "YYYY-<run id as 8-4-4 hex digits>-<loop, 4>-<number, 12>", like fedmsg's "2015-<uuid>".
  // REQUIRES: year >= 0.
  static std::string make_msg_id(int year, uint64_t run_id, uint32_t loop, uint64_t number);

 private:
  const ReplayCorpus& corpus_;
  ReplayOptions options_;
  Clock& clock_;
};

}  // namespace fmn::bus
