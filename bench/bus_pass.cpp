#include "bench/bus_pass.h"

#include <atomic>
#include <chrono>
#include <limits>
#include <optional>

#include "bench/bus_pipeline.h"
#include "bench/corpus_publisher.h"
#include "bench/thread_cpu.h"
#include "sinks/counting_sink.h"
#include "web/public_url.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;

// In front of the router: records, for each message reaching the sink queues, the time since
// it was published (its number is the end of the msg_id the replayer wrote).
class LatencySink : public sinks::Sink {
 public:
  LatencySink(sinks::Sink& next, const std::vector<std::atomic<int64_t>>& sent)
      : next_(next), sent_(sent) {}
  std::string_view name() const override { return "latency"; }
  void deliver(std::span<const Notification> batch) override {
    measure(batch, [&] { next_.deliver(batch); });
  }
  void deliver_owned(std::span<Notification> batch) override {
    measure(batch, [&] { next_.deliver_owned(batch); });
  }
  std::vector<double> latencies_us;

 private:
  sinks::Sink& next_;
  const std::vector<std::atomic<int64_t>>& sent_;
  std::vector<int64_t> sent_at_;  // of the batch's messages, read before they are handed on

  // Notes when each message of `batch` was published, hands the batch on, then records how long
  // each took to get there.
  template <typename HandOn>
  void measure(std::span<const Notification> batch, HandOn hand_on) {
    sent_at_.clear();
    const Message* last = nullptr;
    for (const Notification& n : batch) {
      if (n.message.get() == last) continue;
      last = n.message.get();
      std::string id(last->msg_id);
      if (id.size() < 12) continue;
      size_t number = std::stoul(id.substr(id.size() - 12), nullptr, 16);
      if (number == 0 || number > sent_.size()) continue;
      int64_t at = sent_[number - 1].load(std::memory_order_relaxed);
      if (at != 0) sent_at_.push_back(at);
    }
    hand_on();
    int64_t now = Clock::now().time_since_epoch().count();
    for (int64_t at : sent_at_) latencies_us.push_back(double(now - at) / 1e3);
  }
};

// The upper bound, in microseconds, of the bucket holding the `q` quantile of `h`.
double percentile_bound_us(const metrics::Histogram& h, double q) {
  const uint64_t count = h.count();
  if (count == 0) return 0;
  const auto rank = static_cast<uint64_t>(q * static_cast<double>(count - 1)) + 1;
  const std::vector<double>& bounds = h.bounds();
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (h.cumulative(i) >= rank) return bounds[i] * 1e6;
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace

Result<Pass> run_pass(const EngineSetup& setup, uint64_t messages, double rate,
                      const PassOptions& options) {
  // Where the CPU goes, for throughput passes (not read at a paced rate, where the sampler's own
  // reads could delay the messages it would time).
  std::optional<ThreadCpuSampler> cpu;
  if (rate == 0) cpu.emplace();
  sinks::RenderConfig render;
  render.base_url = std::string(web::kDefaultPublicUrl);
  render.unsubscribe_secret = "fmn-bench";
  const auto counting = options.render ? std::make_unique<sinks::CountingSink>(
                                             sinks::Renderer(sinks::TemplateSet::builtin(), render))
                                       : std::make_unique<sinks::CountingSink>();
  auto pipeline = BusPipeline::create(setup, *counting,
                                      {.rcvhwm = 0,
                                       .messages = messages,
                                       .outbox = options.outbox,
                                       .batch_wait = options.batch_wait,
                                       .until_delivered = options.render});
  if (!pipeline) return pipeline.error();
  BusPipeline& bus = **pipeline;
  std::vector<std::atomic<int64_t>> sent(messages);
  CorpusPublisher publisher(bus.endpoints(), setup.corpus(), {.rate = rate, .sndhwm = 0},
                            [&](uint64_t n) {
                              if (n >= messages) return false;
                              sent[n].store(Clock::now().time_since_epoch().count());
                              return true;
                            });
  LatencySink latency(bus.router(), sent);
  Clock::time_point end = bus.run(latency);
  publisher.join();
  Pass pass;
  pass.published = publisher.sent();
  pass.received = bus.stats().received.load();
  pass.notifications = bus.stats().notifications.load();
  pass.seconds = std::chrono::duration<double>(end - bus.first_received()).count();
  Clock::time_point first_sent{Clock::duration(messages > 0 ? sent[0].load() : 0)};
  pass.drain_seconds = std::chrono::duration<double>(end - first_sent).count();
  pass.latencies_us = std::move(latency.latencies_us);
  pass.in_pipeline_p50_us = percentile_bound_us(bus.in_pipeline(), 0.5);
  pass.in_pipeline_p99_us = percentile_bound_us(bus.in_pipeline(), 0.99);
  if (cpu) pass.cpu_seconds = cpu->stop();
  return pass;
}

}  // namespace fmn::bench
