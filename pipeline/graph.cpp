#include "pipeline/graph.h"

#include <tbb/flow_graph.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>
#include <tbb/task_scheduler_observer.h>

#include <semaphore>

#include "core/thread_name.h"

namespace fmn::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

// Names the arena's worker threads "stage" as they join it (the thread reading the bus is the
// caller's and keeps its name).
class StageThreadNames : public tbb::task_scheduler_observer {
 public:
  explicit StageThreadNames(tbb::task_arena& arena) : tbb::task_scheduler_observer(arena) {
    observe(true);
  }
  ~StageThreadNames() override { observe(false); }
  void on_scheduler_entry(bool worker) override {
    if (worker) name_this_thread("stage");
  }
};

void observe(metrics::Histogram* h, Clock::time_point since, Clock::time_point now) {
  if (h != nullptr) h->observe(std::chrono::duration<double>(now - since).count());
}

void run_in_arena(bus::Source& source, const ParseStage& parse, const Matcher& matcher,
                  sinks::Sink& sink, PipelineStats& stats, const GraphOptions& options,
                  AdmissionStage* admit) {
  namespace flow = tbb::flow;
  flow::graph g;
  const StageLatency& latency = options.latency;

  // A token per batch between the source and the sink: at most max_in_flight.
  std::counting_semaphore<> tokens(static_cast<ptrdiff_t>(options.max_in_flight));

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

  flow::function_node<NotificationBatchPtr> sink_node(
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
        tokens.release();
        return flow::continue_msg{};
      });

  flow::make_edge(parse_node, parsed_order_node);
  flow::make_edge(parsed_order_node, admit_node);
  flow::make_edge(admit_node, match_node);
  flow::make_edge(match_node, order_node);
  flow::make_edge(order_node, sink_node);

  // This thread reads the bus and does nothing else: the next batch is read as soon as the one
  // before is handed to the parse stage, which the arena's other threads run. A batch is what
  // was queued by then, so batches stay small at low rates and grow under load by themselves.
  // (Run as the graph's input node, the source held one of the arena's threads, blocked while
  // it waited for the bus: the stages had one thread fewer than the CPUs. It also read one batch
  // beyond max_in_flight, held in the node until a token came back.)
  uint64_t next_seq = 0;
  for (bool more = true; more;) {
    tokens.acquire();
    auto batch = std::make_shared<RawBatch>();
    more = source.next_batch(batch->items, options.batch_size);
    if (batch->items.empty()) {
      tokens.release();
      continue;
    }
    batch->seq = next_seq++;
    batch->read_at = Clock::now();
    if (options.settlement != nullptr) options.settlement->read(batch->seq, batch->items);
    parse_node.try_put(std::move(batch));
  }
  g.wait_for_all();
}

}  // namespace

void run_graph(bus::Source& source, const ParseStage& parse, const Matcher& matcher,
               sinks::Sink& sink, PipelineStats& stats, const GraphOptions& options,
               AdmissionStage* admit) {
  // The calling thread reads the source, and waits for the bus there (a broker sends no more
  // than its prefetch until what it sent is settled): the stages get a thread per CPU besides
  // it, also where the process has a single CPU.
  const int threads = tbb::info::default_concurrency() + 1;
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threads);
  tbb::task_arena arena(threads);
  StageThreadNames names(arena);
  arena.execute([&] { run_in_arena(source, parse, matcher, sink, stats, options, admit); });
}

}  // namespace fmn::pipeline
