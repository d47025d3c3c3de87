// fmn-bench soak: a load test with a slow sink. The corpus is published at --rate messages a
// second for --seconds into the service's data path (as e2e, with fmn-pipeline's default
// queues and high-water mark) by a publisher like Fedora's (a PUB dropping past its own
// high-water mark), while the sink takes at most --sink-rate notifications a second. Every
// second a row: published, received, matched, delivered, sink queue depth, bus drops seen so
// far (sequence gaps), RSS.
//
// Then the sink is released, the queues drain, and one more loop of the corpus goes out so a
// drop at the very end also shows as a gap. The closing lines are computed from the counters:
// published == received + missing (ZeroMQ drops, counted from gaps in "i"), every notification
// delivered or counted (unrouted, dropped by a full queue), RSS first/max/last and whether it
// stayed bounded. With --json the last line is one JSON object.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/bus_pipeline.h"
#include "bench/corpus_publisher.h"
#include "bench/engine_setup.h"
#include "bench/throttled_sink.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// The bus is drained when nothing more arrived for this long.
constexpr auto kQuiet = 2s;

struct SoakFlags {
  EngineSetupFlags setup;
  double rate = 2000;
  double seconds = 120;
  double sink_rate = 500;
  int publisher_hwm = 1000;
  BusPipelineOptions pipeline;  // fmn-pipeline's defaults
  bool json = false;
};

struct Sample {
  double t = 0;
  uint64_t published = 0, received = 0, matched = 0, delivered = 0, missing = 0;
  size_t depth = 0;
  double rss = 0;
};

Sample sample(double t, const CorpusPublisher& publisher, const BusPipeline& bus,
              const sinks::Sink& sink) {
  return {.t = t,
          .published = publisher.sent(),
          .received = bus.stats().received.load(),
          .matched = bus.stats().notifications.load(),
          .delivered = sink.counters().delivered.load(),
          .missing = bus.sequence().missing,
          .depth = bus.queue_depth(),
          .rss = rss_mb()};
}

void print_row(const Sample& s) {
  std::printf(
      "%6.0f %10llu %10llu %12llu %12llu %7zu %9llu %8.1f\n", s.t,
      static_cast<unsigned long long>(s.published), static_cast<unsigned long long>(s.received),
      static_cast<unsigned long long>(s.matched), static_cast<unsigned long long>(s.delivered),
      s.depth, static_cast<unsigned long long>(s.missing), s.rss);
  std::fflush(stdout);
}

// Waits until every one of `published` messages is received or counted missing (true), or
// nothing more arrived for kQuiet (false: drops at the end of a publisher's run not seen yet).
bool wait_accounted(const BusPipeline& bus, uint64_t published) {
  uint64_t last = bus.stats().received.load();
  auto changed = Clock::now();
  for (;;) {
    uint64_t received = bus.stats().received.load();
    if (received + bus.sequence().missing >= published) return true;
    if (received != last) {
      last = received;
      changed = Clock::now();
    } else if (Clock::now() - changed >= kQuiet) {
      return false;
    }
    std::this_thread::sleep_for(50ms);
  }
}

// The publisher's schedule: the soak until `deadline`, then, once open() is called, one
// closing loop of `closing` messages. Its before_send() runs on the publisher's thread.
class Schedule {
 public:
  Schedule(Clock::time_point deadline, uint64_t closing) : deadline_(deadline), closing_(closing) {}

  bool before_send(uint64_t n) {
    if (Clock::now() < deadline_) return true;
    if (!soak_messages_.has_value()) {
      soak_messages_ = n;
      while (!open_.load()) std::this_thread::sleep_for(10ms);
    }
    return n < *soak_messages_ + closing_;
  }
  void open() { open_ = true; }

 private:
  const Clock::time_point deadline_;
  const uint64_t closing_;
  std::optional<uint64_t> soak_messages_;
  std::atomic<bool> open_{false};
};

// Memory is bounded when RSS stops growing once the queues are full: over the second half of
// the soak it rises by at most kFlat of what it was at the half. Returns that rise in MB.
constexpr double kFlat = 0.05;
double second_half_growth(const std::vector<Sample>& samples) {
  auto half = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
  double top = half->rss;
  for (auto it = half; it != samples.end(); ++it) top = std::max(top, it->rss);
  return top - half->rss;
}

void run(const SoakFlags& flags) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "fmn-bench soak: %s\n", what.c_str());
    exit_status() = 1;
  };
  if (flags.rate <= 0 || flags.sink_rate <= 0 || flags.seconds < 1) {
    return fail("--rate and --sink-rate must be positive, --seconds at least 1");
  }
  auto setup = EngineSetup::create(flags.setup);
  if (!setup) return fail(setup.error().message);
  (*setup)->print_population(stdout);
  ThrottledSink sink(flags.sink_rate);
  auto created = BusPipeline::create(**setup, sink, flags.pipeline);
  if (!created) return fail(created.error().message);
  BusPipeline& bus = **created;
  std::thread graph([&] { bus.run(); });

  auto start = Clock::now();
  Schedule schedule(start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(flags.seconds)),
                    (*setup)->corpus().records().size());
  CorpusPublisher publisher(
      bus.endpoints(), (*setup)->corpus(),
      {.rate = flags.rate, .sndhwm = flags.publisher_hwm, .drop_when_full = true},
      [&](uint64_t n) { return schedule.before_send(n); });
  std::printf(
      "%.0f msg/s for %.0f s, sink %.0f notifications/s; bus high-water mark %d, sink queue %zu "
      "notifications\n",
      flags.rate, flags.seconds, flags.sink_rate, flags.pipeline.rcvhwm, flags.pipeline.sink_queue);
  std::printf("%6s %10s %10s %12s %12s %7s %9s %8s\n", "t", "published", "received", "matched",
              "delivered", "queue", "missing", "RSS MB");
  std::vector<Sample> samples;
  for (int t = 1; t <= static_cast<int>(flags.seconds); ++t) {
    std::this_thread::sleep_until(start + std::chrono::seconds(t));
    samples.push_back(sample(t, publisher, bus, sink));
    print_row(samples.back());
  }
  const Sample& end = samples.back();
  std::printf(
      "at %.0f s: %llu notifications produced, %llu delivered, %llu waiting in the pipeline\n",
      end.t, static_cast<unsigned long long>(end.matched),
      static_cast<unsigned long long>(end.delivered),
      static_cast<unsigned long long>(end.matched - end.delivered));

  // Drain: the sink at full speed, the bus backlog read, then the closing loop.
  sink.release();
  auto drain_start = Clock::now();
  wait_accounted(bus, publisher.sent());
  schedule.open();
  publisher.join();
  bool accounted = wait_accounted(bus, publisher.sent());
  bus.stop();
  graph.join();
  double drain_s = std::chrono::duration<double>(Clock::now() - drain_start).count();
  if (!publisher.connected()) return fail("the publisher could not connect");

  uint64_t published = publisher.sent();
  uint64_t received = bus.stats().received.load();
  bus::SequenceStats seq = bus.sequence();
  uint64_t notifications = bus.stats().notifications.load();
  uint64_t delivered = sink.counters().delivered.load();
  uint64_t sink_dropped = sink.counters().dropped.load();
  uint64_t unrouted = bus.unrouted();
  auto lost_bus = static_cast<int64_t>(published - received - seq.missing);
  auto lost_notifications =
      static_cast<int64_t>(notifications - delivered - unrouted - sink_dropped);
  std::printf("drained in %.1f s (sink released, then one closing loop of %zu messages)\n", drain_s,
              (*setup)->corpus().records().size());
  std::printf(
      "bus: published %llu, received %llu, dropped by ZeroMQ and counted %llu (%llu gaps): "
      "published == received + dropped: %s\n",
      static_cast<unsigned long long>(published), static_cast<unsigned long long>(received),
      static_cast<unsigned long long>(seq.missing), static_cast<unsigned long long>(seq.gaps),
      lost_bus == 0 ? "yes" : "no");
  std::printf(
      "notifications: produced %llu, delivered %llu, unrouted %llu, dropped by a full queue "
      "%llu, still queued %zu: each delivered or counted: %s\n",
      static_cast<unsigned long long>(notifications), static_cast<unsigned long long>(delivered),
      static_cast<unsigned long long>(unrouted), static_cast<unsigned long long>(sink_dropped),
      bus.queue_depth(), lost_notifications == 0 ? "yes" : "no");
  auto rss_max =
      std::max_element(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
        return a.rss < b.rss;
      })->rss;
  auto rss_min =
      std::min_element(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
        return a.rss < b.rss;
      })->rss;
  double growth = second_half_growth(samples);
  double at_half = samples[samples.size() / 2].rss;
  bool bounded = growth <= kFlat * at_half;
  std::printf(
      "RSS MB: first %.1f, max %.1f, last %.1f; second half +%.1f (bounded: at most +%.0f%%)\n",
      samples.front().rss, rss_max, samples.back().rss, growth, kFlat * 100);
  std::printf("memory bounded: %s (max-min RSS %.1f MB)\n", bounded ? "yes" : "no",
              rss_max - rss_min);
  int64_t lost = lost_bus + lost_notifications;
  std::printf("lost: %lld%s\n", static_cast<long long>(lost),
              accounted ? "" : " (the bus went quiet before every message was accounted for)");
  Run whole{.messages = received,
            .seconds = std::chrono::duration<double>(Clock::now() - start).count()};
  std::printf("notifications per message %.2f, %.0f notifications/s\n",
              double(notifications) / double(std::max<uint64_t>(1, received)),
              double(notifications) / whole.seconds);
  print_report(stdout, "soak", {whole}, flags.json,
               {{"users", double(flags.setup.users)},
                {"rate", flags.rate},
                {"seconds", flags.seconds},
                {"sink_rate", flags.sink_rate},
                {"published", double(published)},
                {"received", double(received)},
                {"notifications", double(notifications)},
                {"delivered", double(delivered)},
                {"dropped", double(seq.missing + sink_dropped)},
                {"lost", double(lost)},
                {"rss_first_mb", samples.front().rss},
                {"rss_max_mb", rss_max},
                {"rss_last_mb", samples.back().rss},
                {"memory_bounded", bounded ? 1.0 : 0.0}});
}

}  // namespace

void add_soak_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "soak", "Sustained publishing at a fixed rate with a slow sink: memory and loss");
  static SoakFlags flags;
  add_engine_setup_options(*cmd, flags.setup);
  cmd->add_option("--rate", flags.rate, "Messages published a second")->capture_default_str();
  cmd->add_option("--seconds", flags.seconds, "How long to publish")->capture_default_str();
  cmd->add_option("--sink-rate", flags.sink_rate, "Notifications the sink takes a second")
      ->capture_default_str();
  cmd->add_option("--publisher-hwm", flags.publisher_hwm,
                  "Messages the publisher queues before it drops")
      ->capture_default_str();
  cmd->add_option("--high-water-mark", flags.pipeline.rcvhwm,
                  "Messages the bus queues before it drops (source.high_water_mark)")
      ->capture_default_str();
  cmd->add_option("--sink-queue", flags.pipeline.sink_queue,
                  "Notifications the sink queue holds (pipeline.sink_queue)")
      ->capture_default_str();
  cmd->add_flag("--json", flags.json, "Last line: one JSON object");
  cmd->callback([] { run(flags); });
}

}  // namespace fmn::bench
