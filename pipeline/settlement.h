// Settlement: tells the source which messages have fully passed the pipeline, so a broker
// source acknowledges only what is safe.
//
// A message has fully passed once every notification it caused is in its kind's outbox (which
// delivers it, after a crash too) or, without an outbox, has been handed to its sink (for
// batched destinations: written to the digest store); or it caused none, or it was dropped
// (unparsable, a duplicate). The graph reports each batch twice: read() when the source hands
// it over (its origins), and handed_over() when the last stage has split it into the sink
// workers' queues, in batch order. At that moment each worker's count of submitted batches is
// noted; the batch is settled once every worker has completed that many
// (SinkWorker::completed()). Workers complete in submission order (the outbox writes in order,
// the sink delivers in queue order) and batches are handed over in order, so settled batches
// always form a prefix: poll() passes their origins to `settle`, oldest first.
//
// Thread-safety: read() from the source's thread, handed_over() from the last stage's, poll()
// from any thread; `settle` is called from whichever thread polls, one call at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <span>
#include <vector>

#include "bus/raw_message.h"
#include "pipeline/sink_worker.h"

namespace fmn::pipeline {

class Settlement {
 public:
  using Settle = std::function<void(std::span<const uint64_t> origins)>;
  // The workers outlive the settlement.
  Settlement(std::vector<const SinkWorker*> workers, Settle settle)
      : workers_(std::move(workers)), settle_(std::move(settle)) {}

  void read(uint64_t seq, std::span<const bus::RawMessage> items);
  void handed_over(uint64_t seq);
  // Settles every batch whose notifications have all been delivered.
  void poll();

 private:
  struct Handed {
    std::vector<uint64_t> origins;
    std::vector<uint64_t> submitted;  // per worker, when the batch was handed over
  };

  const std::vector<const SinkWorker*> workers_;
  const Settle settle_;
  std::mutex mu_;
  std::map<uint64_t, std::vector<uint64_t>> read_;  // seq -> origins, not yet handed over
  std::deque<Handed> handed_;
  std::mutex settle_mu_;  // one settle_ call at a time, in order
};

}  // namespace fmn::pipeline
