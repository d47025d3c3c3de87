#include "bench/bus_pipeline.h"

#include <algorithm>
#include <atomic>
#include <limits>

#include "pipeline/graph.h"

namespace fmn::bench {
namespace {

// 5 µs steps up to 2 ms, then the service's latency buckets.
std::vector<double> fine_latency_bounds() {
  std::vector<double> bounds;
  for (int us = 5; us <= 2000; us += 5) bounds.push_back(us * 1e-6);
  for (double b : metrics::latency_buckets()) {
    if (b > bounds.back()) bounds.push_back(b);
  }
  return bounds;
}

}  // namespace

// The bus source, ended after `limit` messages so the graph drains and returns; notes when the
// first message was read.
class BusPipeline::LimitedSource : public bus::Source {
 public:
  LimitedSource(bus::Source& inner, uint64_t limit)
      : inner_(inner), left_(limit > 0 ? limit : std::numeric_limits<uint64_t>::max()) {}
  bool next_batch(std::vector<bus::RawMessage>& out, size_t max) override {
    if (left_ == 0) return false;
    size_t before = out.size();
    bool more = inner_.next_batch(out, std::min<uint64_t>(max, left_));
    if (out.size() > before && first_.load(std::memory_order_relaxed) == 0) {
      first_.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
    }
    left_ -= std::min<uint64_t>(left_, out.size() - before);
    return more && left_ > 0;
  }
  Clock::time_point first() const {
    return Clock::time_point(Clock::duration(first_.load(std::memory_order_relaxed)));
  }

 private:
  bus::Source& inner_;
  uint64_t left_;
  std::atomic<Clock::rep> first_{0};
};

Result<std::unique_ptr<BusPipeline>> BusPipeline::create(const EngineSetup& setup,
                                                         sinks::Sink& sink,
                                                         const BusPipelineOptions& options) {
  bus::ZmqSourceOptions source_options;
  source_options.bind = {"tcp://127.0.0.1:*"};
  source_options.rcvhwm = options.rcvhwm;
  source_options.batch_wait = options.batch_wait;
  auto source = bus::ZmqSource::create(source_options);
  if (!source) return source.error();
  return std::unique_ptr<BusPipeline>(
      new BusPipeline(setup, sink, options, std::move(source).value()));
}

BusPipeline::BusPipeline(const EngineSetup& setup, sinks::Sink& sink,
                         const BusPipelineOptions& options, std::unique_ptr<bus::ZmqSource> source)
    : setup_(setup),
      source_(std::move(source)),
      limited_(std::make_unique<LimitedSource>(*source_, options.messages)),
      parse_(setup.meta(), stats_, [](const std::string&) {}),
      admit_(stats_, 100000),
      worker_(sink, options.sink_queue, std::chrono::milliseconds(10'000),
              std::chrono::milliseconds(200), options.outbox),
      in_pipeline_(fine_latency_bounds()),
      until_delivered_(options.until_delivered) {
  router_.route_unrouted(worker_);
}

BusPipeline::~BusPipeline() { worker_.stop(); }

BusPipeline::Clock::time_point BusPipeline::run(sinks::Sink& graph_sink) {
  pipeline::GraphOptions graph;
  graph.latency.total = &in_pipeline_;
  pipeline::run_graph(*limited_, parse_, setup_.matcher(), graph_sink, stats_, graph, &admit_);
  auto end = Clock::now();
  worker_.stop();
  return until_delivered_ ? Clock::now() : end;
}

BusPipeline::Clock::time_point BusPipeline::first_received() const { return limited_->first(); }

}  // namespace fmn::bench
