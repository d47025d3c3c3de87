// The publishing side of fmn-bench's end-to-end subcommands: a thread that plays the corpus
// (rewritten as fmn-replay does, bus/replayer.h) over ZeroMQ into the endpoints of a
// BusPipeline, once its subscription has arrived.
//
// `before_send` is called on the publisher's thread before message n (0-based over the run)
// goes out: it may record a time or wait, and returning false ends the replay there.
// Thread-safety: sent() from any thread; join() from the thread that created the publisher.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bus/replay_corpus.h"

namespace fmn::bench {

struct CorpusPublisherOptions {
  double rate = 0;  // messages a second; 0: as fast as possible
  int sndhwm = 0;   // messages queued for the subscriber; 0: unlimited
  // As Fedora's publishers: past `sndhwm` messages for a subscriber that does not keep up are
  // dropped (ZeroMQ PUB; the subscriber sees gaps in "i"). Otherwise send() waits for it.
  bool drop_when_full = false;
};

class CorpusPublisher {
 public:
  using BeforeSend = std::function<bool(uint64_t n)>;

  // `corpus` outlives the publisher. Starts the thread.
  CorpusPublisher(std::vector<std::string> endpoints, const bus::ReplayCorpus& corpus,
                  CorpusPublisherOptions options, BeforeSend before_send);
  ~CorpusPublisher() { join(); }

  void join();
  // Messages the socket took (those dropped at the high-water mark included: PUB cannot tell).
  uint64_t sent() const { return sent_.load(std::memory_order_relaxed); }
  // False when the socket could not be set up or no subscription arrived within 10 s.
  bool connected() const { return connected_.load(); }

 private:
  void run(const std::vector<std::string>& endpoints, const bus::ReplayCorpus& corpus,
           const CorpusPublisherOptions& options, const BeforeSend& before_send);

  std::atomic<uint64_t> sent_{0};
  std::atomic<bool> connected_{false};
  std::thread thread_;
};

}  // namespace fmn::bench
