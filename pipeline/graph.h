// The service's data flow as one oneTBB flow graph:
//
//   source -> parse (parallel) -> order -> admit -> match (parallel) -> order -> sink
//      ^_______________________________________________________________________|
//                                                   (one token back per batch)
//
// The source is read on the calling thread, which does nothing else: a batch is what was queued
// when the one before was handed over (at low rates a message or two, under load up to
// `batch_size`), and the stages run on a thread per CPU besides it. At most `max_in_flight`
// batches are between source and sink, so a slow sink slows the source instead of growing
// queues. The sink sees batches in source order. Stage latencies, when asked
// for, are observed once per batch (a clock read per stage and batch, not per message).
#pragma once

#include <cstddef>

#include "bus/source.h"
#include "core/metrics.h"
#include "pipeline/admission_stage.h"
#include "pipeline/matcher.h"
#include "pipeline/parse_stage.h"
#include "pipeline/pipeline_stats.h"
#include "pipeline/settlement.h"
#include "sinks/sink.h"

namespace fmn::pipeline {

// Histograms (seconds) the graph observes per batch; any may be null.
struct StageLatency {
  metrics::Histogram* parse = nullptr;    // parsing a batch and extracting its meta
  metrics::Histogram* match = nullptr;    // matching a batch against every user's rules
  metrics::Histogram* deliver = nullptr;  // handing a batch to the sink queues (waits if full)
  metrics::Histogram* total = nullptr;    // from the source handing the batch over to its
                                          // notifications being in the sink queues
};

struct GraphOptions {
  size_t batch_size = 128;
  size_t max_in_flight = 16;
  StageLatency latency{};
  // When given, told of each batch as the source hands it over and as the last stage hands it
  // to the sink workers, and polled after each batch (a broker source acks what settled).
  Settlement* settlement = nullptr;
};

// Runs until `source` is exhausted and every batch has reached the sink. `admit`, when given,
// sees every parsed batch in source order (sequence tracking, duplicate removal). The source may
// block the calling thread until batches it handed over are settled (a broker's prefetch): the
// stages have threads of their own, also where the process has one CPU.
void run_graph(bus::Source& source, const ParseStage& parse, const Matcher& matcher,
               sinks::Sink& sink, PipelineStats& stats, const GraphOptions& options,
               AdmissionStage* admit = nullptr);

}  // namespace fmn::pipeline
