// The service's data path as fmn-bench's end-to-end subcommands drive it: a ZeroMQ SUB bound on
// tcp loopback (a CorpusPublisher connects to endpoints()), the pipeline's graph (parse + meta,
// admission, the rule engine, the delivery router) and one sink queue and thread (SinkWorker)
// taking every destination kind, in front of the caller's sink. Configured as fmn-pipeline is
// by default unless the options say otherwise.
//
// Thread-safety: run() on one thread, once; stop() and the counters from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/engine_setup.h"
#include "bus/sequence_tracker.h"
#include "bus/zmq_source.h"
#include "core/metrics.h"
#include "core/result.h"
#include "pipeline/admission_stage.h"
#include "pipeline/delivery_router.h"
#include "pipeline/parse_stage.h"
#include "pipeline/pipeline_stats.h"
#include "pipeline/sink_worker.h"

namespace fmn::bench {

struct BusPipelineOptions {
  int rcvhwm = 100000;        // messages ZeroMQ queues before it drops; 0: unlimited
  size_t sink_queue = 65536;  // notifications the sink queue holds before the graph waits
  uint64_t messages = 0;      // the source ends after this many; 0: only at stop()
  sinks::RedisOutbox* outbox = nullptr;  // the sink queue's durable outbox; null: memory only
  std::chrono::microseconds batch_wait = bus::ZmqSourceOptions{}.batch_wait;  // to fill a batch
  // run() returns once the sink has taken every notification, not when the last reached its
  // queue: for sinks whose own work is part of the figure (rendering).
  bool until_delivered = false;
};

class BusPipeline {
 public:
  using Clock = std::chrono::steady_clock;

  // `setup` and `sink` outlive the pipeline. Errors: the SUB socket could not bind.
  static Result<std::unique_ptr<BusPipeline>> create(const EngineSetup& setup, sinks::Sink& sink,
                                                     const BusPipelineOptions& options);
  ~BusPipeline();

  const std::vector<std::string>& endpoints() const { return source_->endpoints(); }

  // Runs the graph until the source ends, hands its notifications to `graph_sink` (the
  // router, or a sink in front of it that passes every batch on), then delivers what the sink
  // queue holds. Returns when the last batch reached the sink queue (with until_delivered,
  // the sink).
  Clock::time_point run(sinks::Sink& graph_sink);
  Clock::time_point run() { return run(router_); }
  // Ends the source within its poll interval: run() then drains and returns.
  void stop() { source_->stop(); }

  sinks::Sink& router() { return router_; }
  const pipeline::PipelineStats& stats() const { return stats_; }
  uint64_t unrouted() const { return router_.unrouted(); }
  bus::SequenceStats sequence() const { return admit_.sequence_stats(); }
  size_t queue_depth() const { return worker_.depth(); }
  // When the first message was read (the epoch before).
  Clock::time_point first_received() const;
  // Per batch, in seconds: from being read off the bus to its notifications being in the sink
  // queue (the graph's own StageLatency::total), in 5 µs buckets up to 2 ms.
  const metrics::Histogram& in_pipeline() const { return in_pipeline_; }

 private:
  class LimitedSource;
  BusPipeline(const EngineSetup& setup, sinks::Sink& sink, const BusPipelineOptions& options,
              std::unique_ptr<bus::ZmqSource> source);

  const EngineSetup& setup_;
  std::unique_ptr<bus::ZmqSource> source_;
  std::unique_ptr<LimitedSource> limited_;
  pipeline::PipelineStats stats_;
  pipeline::ParseStage parse_;
  pipeline::AdmissionStage admit_;
  pipeline::SinkWorker worker_;
  pipeline::DeliveryRouter router_;
  metrics::Histogram in_pipeline_;
  bool until_delivered_;
};

}  // namespace fmn::bench
