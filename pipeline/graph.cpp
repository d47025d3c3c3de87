#include "pipeline/graph.h"

#include <tbb/flow_graph.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <optional>

namespace fmn::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

void observe(metrics::Histogram* h, Clock::time_point since, Clock::time_point now) {
  if (h != nullptr) h->observe(std::chrono::duration<double>(now - since).count());
}

void run_in_arena(bus::Source& source, const ParseStage& parse, const Matcher& matcher,
                  sinks::Sink& sink, PipelineStats& stats, const GraphOptions& options,
                  AdmissionStage* admit) {
  namespace flow = tbb::flow;
  flow::graph g;
  const StageLatency& latency = options.latency;

  uint64_t next_seq = 0;
  bool more = true;
  flow::input_node<RawBatchPtr> source_node(g, [&](tbb::flow_control& fc) -> RawBatchPtr {
    auto batch = std::make_shared<RawBatch>();
    if (more) more = source.next_batch(batch->items, options.batch_size);
    if (batch->items.empty()) {
      fc.stop();
      return {};
    }
    batch->seq = next_seq++;
    batch->read_at = Clock::now();
    if (options.settlement != nullptr) options.settlement->read(batch->seq, batch->items);
    return batch;
  });

  flow::limiter_node<RawBatchPtr> limiter(g, options.max_in_flight);

  flow::function_node<RawBatchPtr, ParsedBatchPtr> parse_node(
      g, flow::unlimited, [&](const RawBatchPtr& raw) {
        auto start = Clock::now();
        ParsedBatchPtr out = parse(raw);
        out->read_at = raw->read_at;
        observe(latency.parse, start, Clock::now());
        return out;
      });

  flow::sequencer_node<ParsedBatchPtr> parsed_order_node(
      g, [](const ParsedBatchPtr& b) { return b->seq; });

  flow::function_node<ParsedBatchPtr, ParsedBatchPtr> admit_node(g, flow::serial,
                                                                 [&](const ParsedBatchPtr& b) {
                                                                   if (admit != nullptr)
                                                                     (*admit)(*b);
                                                                   return b;
                                                                 });

  flow::function_node<ParsedBatchPtr, NotificationBatchPtr> match_node(
      g, flow::unlimited, [&](const ParsedBatchPtr& in) {
        auto start = Clock::now();
        auto out = std::make_shared<NotificationBatch>();
        out->seq = in->seq;
        out->read_at = in->read_at;
        for (const MessagePtr& m : in->messages) {
          const size_t before = out->items.size();
          matcher.match(m, out->items);
          // The sinks read the display meta: extracted here, once, before they share it.
          if (out->items.size() > before) m->complete_meta(kDisplayMetaFields);
        }
        stats.notifications.fetch_add(out->items.size(), std::memory_order_relaxed);
        observe(latency.match, start, Clock::now());
        return out;
      });

  flow::sequencer_node<NotificationBatchPtr> order_node(
      g, [](const NotificationBatchPtr& b) { return b->seq; });

  flow::function_node<NotificationBatchPtr, flow::continue_msg> sink_node(
      g, flow::serial, [&](const NotificationBatchPtr& b) {
        auto start = Clock::now();
        if (!b->items.empty()) sink.deliver_owned(b->items);  // the batch ends here
        if (options.settlement != nullptr) {
          options.settlement->handed_over(b->seq);
          options.settlement->poll();
        }
        auto now = Clock::now();
        observe(latency.deliver, start, now);
        observe(latency.total, b->read_at, now);
        return flow::continue_msg{};
      });

  flow::make_edge(source_node, limiter);
  flow::make_edge(limiter, parse_node);
  flow::make_edge(parse_node, parsed_order_node);
  flow::make_edge(parsed_order_node, admit_node);
  flow::make_edge(admit_node, match_node);
  flow::make_edge(match_node, order_node);
  flow::make_edge(order_node, sink_node);
  flow::make_edge(sink_node, limiter.decrementer());

  source_node.activate();
  g.wait_for_all();
}

}  // namespace

void run_graph(bus::Source& source, const ParseStage& parse, const Matcher& matcher,
               sinks::Sink& sink, PipelineStats& stats, const GraphOptions& options,
               AdmissionStage* admit) {
  // The source keeps the thread it runs on while it waits for the bus, and a broker sends no
  // more than its prefetch until what it sent is settled: another thread must carry the batches
  // read to the sinks meanwhile. With a single CPU oneTBB would start no thread of its own, so
  // the graph always has at least two.
  const int cpus = tbb::info::default_concurrency();
  std::optional<tbb::global_control> two_threads;
  if (cpus < 2) two_threads.emplace(tbb::global_control::max_allowed_parallelism, 2);
  tbb::task_arena arena(std::max(2, cpus));
  arena.execute([&] { run_in_arena(source, parse, matcher, sink, stats, options, admit); });
}

}  // namespace fmn::pipeline
