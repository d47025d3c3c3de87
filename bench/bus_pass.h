// One pass of fmn-bench e2e and burst: `messages` from the corpus published at `rate` (0: as
// fast as possible) through a BusPipeline into a counting sink, which may render each
// notification. Nothing is dropped on the way:
// the ZeroMQ queues are unlimited.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/engine_setup.h"
#include "bus/zmq_source.h"
#include "core/result.h"
#include "sinks/redis_outbox.h"

namespace fmn::bench {

struct Pass {
  uint64_t published = 0;
  uint64_t received = 0;
  uint64_t notifications = 0;
  // From the first message read from the bus to the last batch of notifications in the sink
  // queue; drain_seconds from the first message published.
  double seconds = 0;
  double drain_seconds = 0;
  // From publish to the sink queue, one per message with notifications, in microseconds.
  std::vector<double> latencies_us;
  // Of that, per batch: from being read off the bus to the sink queue (the pipeline's own
  // part), to the 5 µs bucket holding the percentile.
  double in_pipeline_p50_us = 0;
  double in_pipeline_p99_us = 0;
  // CPU seconds of the pass by kind of thread (bench/thread_cpu.h).
  std::map<std::string, double> cpu_seconds;
};

struct PassOptions {
  sinks::RedisOutbox* outbox = nullptr;  // the sink queue's, or null (memory only)
  std::chrono::microseconds batch_wait = bus::ZmqSourceOptions{}.batch_wait;
  // The sink renders each notification for its destination kind, and the pass ends when it
  // has rendered the last.
  bool render = false;
};

// Errors: the bus could not be set up.
Result<Pass> run_pass(const EngineSetup& setup, uint64_t messages, double rate,
                      const PassOptions& options = {});

}  // namespace fmn::bench
