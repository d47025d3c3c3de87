// fmn-bench e2e: the service's data path end to end. A publisher thread plays the corpus
// (rewritten, as fmn-replay does) over ZeroMQ tcp loopback into the pipeline's graph: parse +
// meta, admission, the rule engine over a generated population of --users users in a --profile
// (fedora or stress), the delivery router and one sink queue and thread in front of a counting
// sink. Throughput at full speed (first message received to the last batch in the sink queue);
// then latency from publish to the sink queue at half that rate (or --latency-rate), once per
// repetition (the medians of their p50 and p99 are the figures), with bus batches waiting at most
// --batch-wait-us to fill; RSS; the naive evaluate-every-rule baseline on
// the same rules. With --outbox-redis the sink queue keeps a durable outbox in that Redis (each
// batch is in Redis before its sink sees it), to measure what it costs: each repetition then
// runs without it too, in alternating order, and the median of the pairs' ratios is printed. With
// --sink render the sink renders every notification for its destination kind (email, IRC line, SSE
// event) and the figure ends when it has rendered the last. It also prints the CPU a message by
// kind of thread (bench/thread_cpu.h): the pipeline's, and the publisher's beside it on the same
// cores. With --json the last line is one JSON object.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/bus_pass.h"
#include "bench/engine_setup.h"
#include "pipeline/graph.h"
#include "pipeline/service_config.h"
#include "sinks/redis_outbox.h"

namespace fmn::bench {
namespace {

struct E2eFlags {
  EngineSetupFlags setup;
  uint64_t messages = 200000;         // per throughput repetition
  uint64_t latency_messages = 20000;  // at half load
  double latency_rate = 0;            // msg/s of the latency pass; 0: half the measured rate
  int repetitions = 3;
  double naive_seconds = 1;
  bool json = false;
  std::string outbox_redis;  // host:port: the sink queue keeps a durable outbox there
  int64_t batch_wait_us = bus::ZmqSourceOptions{}.batch_wait.count();
  std::string sink = "count";  // or "render": the sink renders each notification
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * double(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

struct CpuShares {
  double fmn_us = 0;        // the pipeline's threads, a message
  double publisher_us = 0;  // the bench's publisher and its ZeroMQ I/O
};

// Prints the CPU a message by kind of thread (medians over the passes), then what the
// pipeline's threads use in all and what the bench's publisher uses beside them on the same
// cores.
CpuShares print_cpu_shares(const std::map<std::string, std::vector<double>>& cpu_us) {
  CpuShares shares;
  std::printf("CPU a message, by thread (medians of the throughput passes):");
  for (const auto& [kind, us] : cpu_us) {
    const double median = percentile(us, 0.5);
    std::printf(" %s %.2f us;", kind.c_str(), median);
    (kind.starts_with("publisher") ? shares.publisher_us : shares.fmn_us) += median;
  }
  std::printf(" the pipeline's in all %.2f us, the publisher's %.2f us\n", shares.fmn_us,
              shares.publisher_us);
  return shares;
}

void run(const E2eFlags& flags) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "fmn-bench e2e: %s\n", what.c_str());
    exit_status() = 1;
  };
  auto setup = EngineSetup::create(flags.setup);
  if (!setup) return fail(setup.error().message);
  (*setup)->print_population(stdout);
  std::unique_ptr<sinks::RedisOutbox> outbox;
  if (!flags.outbox_redis.empty()) {
    sinks::RedisConfig redis;
    redis.prefix = "fmn-bench:";
    if (!split_host_port(flags.outbox_redis, redis.host, redis.port)) {
      return fail("--outbox-redis: expected host:port");
    }
    auto opened = sinks::RedisOutbox::open(redis, "e2e", {.consumer = "fmn-bench"});
    if (!opened) return fail(opened.error().message);
    outbox = std::move(opened).value();
    std::printf("outbox: redis %s\n", flags.outbox_redis.c_str());
  }

  PassOptions pass_options{.outbox = outbox.get(),
                           .batch_wait = std::chrono::microseconds(flags.batch_wait_us),
                           .render = flags.sink == "render"};
  std::printf("sink: %s\n", pass_options.render
                                ? "render (each notification rendered for its destination kind, "
                                  "on the sink thread, until the last)"
                                : "count (up to the sink queue)");
  std::printf("batches: up to %zu messages, waiting at most %lld us to fill\n",
              pipeline::GraphOptions{}.batch_size, static_cast<long long>(flags.batch_wait_us));
  // With an outbox, each repetition also runs without it, the two in alternating order, so the
  // overhead is read from pairs run moments apart rather than from runs minutes apart.
  std::vector<Run> runs, runs_without;
  std::vector<double> ratios;  // per repetition: with the outbox / without
  PassOptions without_outbox = pass_options;
  without_outbox.outbox = nullptr;
  double per_msg = 0;
  // The passes' CPU a message by kind of thread: those with the outbox when it is on.
  std::map<std::string, std::vector<double>> cpu_us;
  // One throughput pass, added to `to` (its CPU to `cpu_to`, when given); false (the bench
  // failed) when it could not run.
  auto timed = [&](const PassOptions& options, std::vector<Run>& to,
                   std::map<std::string, std::vector<double>>* cpu_to) {
    auto pass = run_pass(**setup, flags.messages, 0, options);
    if (!pass) {
      fail(pass.error().message);
      return false;
    }
    const double received = double(std::max<uint64_t>(1, pass->received));
    per_msg = double(pass->notifications) / received;
    to.push_back({.messages = pass->received, .seconds = pass->seconds});
    if (cpu_to != nullptr) {
      for (const auto& [kind, seconds] : pass->cpu_seconds) {
        (*cpu_to)[kind].push_back(seconds * 1e6 / received);
      }
    }
    return true;
  };
  for (int rep = 0; rep < flags.repetitions; ++rep) {
    const bool without_first = rep % 2 == 0;
    if (outbox && without_first && !timed(without_outbox, runs_without, nullptr)) return;
    if (!timed(pass_options, runs, &cpu_us)) return;
    if (outbox && !without_first && !timed(without_outbox, runs_without, nullptr)) return;
    if (outbox) ratios.push_back(runs.back().msgs_per_s() / runs_without.back().msgs_per_s());
  }
  double full = median_run(runs).msgs_per_s();
  Extras outbox_figures;
  if (outbox) {
    const double without = median_run(runs_without).msgs_per_s();
    const double ratio = percentile(ratios, 0.5);
    std::printf(
        "outbox: %.0f msg/s with it, %.0f without (medians of %d alternating pairs); the pairs' "
        "median ratio %.3f: %.1f%% overhead\n",
        full, without, flags.repetitions, ratio, 100 * (1 - ratio));
    outbox_figures = {{"without_outbox_msgs_per_s", without},
                      {"outbox_ratio", ratio},
                      {"outbox_overhead_pct", 100 * (1 - ratio)}};
  }
  const CpuShares cpu = print_cpu_shares(cpu_us);
  const FanOut& fan_out = (*setup)->fan_out();
  std::printf("notifications per message: mean %.2f (corpus p99 %.0f); %.0f notifications/s\n",
              per_msg, fan_out.p99, full * per_msg);
  // As many latency passes as throughput repetitions; the medians of their percentiles are the
  // figures (one pass of a second or less is at the mercy of the scheduler on a shared host).
  double half_rate = flags.latency_rate > 0 ? flags.latency_rate : full / 2;
  std::vector<double> p50s, p99s, in_p50s, in_p99s;
  for (int rep = 0; rep < std::max(1, flags.repetitions); ++rep) {
    auto half = run_pass(**setup, flags.latency_messages, half_rate, pass_options);
    if (!half) return fail(half.error().message);
    p50s.push_back(percentile(half->latencies_us, 0.5));
    p99s.push_back(percentile(half->latencies_us, 0.99));
    in_p50s.push_back(half->in_pipeline_p50_us);
    in_p99s.push_back(half->in_pipeline_p99_us);
    std::printf(
        "half load (%.0f msg/s), pass %d: bus -> sink queue latency p50 %.1f us, p99 %.1f us "
        "(%zu messages with notifications); of which read -> sink queue, per batch: p50 <= %.0f "
        "us, p99 <= %.0f us\n",
        half_rate, rep + 1, p50s.back(), p99s.back(), half->latencies_us.size(), in_p50s.back(),
        in_p99s.back());
  }
  const double p50 = percentile(p50s, 0.5), p99 = percentile(p99s, 0.5);
  const double in_p50 = percentile(in_p50s, 0.5), in_p99 = percentile(in_p99s, 0.5);
  std::printf(
      "half load (%.0f msg/s): p50 %.1f us, p99 %.1f us; read -> sink queue per batch p50 <= "
      "%.0f us, p99 <= %.0f us (medians of %zu passes)\n",
      half_rate, p50, p99, in_p50, in_p99, p50s.size());
  double naive =
      naive_msgs_per_s(*(*setup)->engine().current(), (*setup)->messages(), flags.naive_seconds);
  double rss = rss_mb();
  std::printf("naive baseline (one core, matching only): %.1f msg/s; end to end / naive %.0fx\n",
              naive, full / naive);
  std::printf("RSS %.0f MB\n", rss);
  Extras extras = {{"users", double(flags.setup.users)},
                   {"p50_us", p50},
                   {"p99_us", p99},
                   {"in_pipeline_p50_us", in_p50},
                   {"in_pipeline_p99_us", in_p99},
                   {"batch_wait_us", double(flags.batch_wait_us)},
                   {"render", pass_options.render ? 1.0 : 0.0},
                   {"rss_mb", rss},
                   {"notifications_per_msg", per_msg},
                   {"notifications_per_msg_p99", fan_out.p99},
                   {"notifications_per_s", full * per_msg},
                   {"naive_msgs_per_s", naive},
                   {"speedup_vs_naive", full / naive},
                   {"fmn_cpu_us_per_msg", cpu.fmn_us},
                   {"publisher_cpu_us_per_msg", cpu.publisher_us}};
  extras.insert(extras.end(), outbox_figures.begin(), outbox_figures.end());
  print_report(stdout, "e2e", runs, flags.json, extras);
}

}  // namespace

void add_e2e_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "e2e", "End to end: ZeroMQ in -> parse -> match (rule engine) -> sink queue");
  static E2eFlags flags;
  add_engine_setup_options(*cmd, flags.setup);
  cmd->add_option("--messages", flags.messages, "Messages per throughput repetition")
      ->capture_default_str();
  cmd->add_option("--latency-messages", flags.latency_messages, "Messages at half load")
      ->capture_default_str();
  cmd->add_option("--latency-rate", flags.latency_rate,
                  "msg/s of the latency pass (0: half the measured rate), to compare settings at "
                  "one rate");
  cmd->add_option("--repetitions", flags.repetitions, "Throughput repetitions")
      ->capture_default_str();
  cmd->add_option("--batch-wait-us", flags.batch_wait_us,
                  "Longest wait for a bus batch to fill (0: hand over what is queued)")
      ->capture_default_str();
  cmd->add_option("--sink", flags.sink,
                  "count: the figure ends at the sink queue; render: the sink renders each "
                  "notification, and the figure includes it")
      ->check(CLI::IsMember({"count", "render"}))
      ->capture_default_str();
  cmd->add_flag("--json", flags.json, "Last line: one JSON object");
  cmd->add_option("--outbox-redis", flags.outbox_redis,
                  "host:port: keep the sink queue's durable outbox in this Redis");
  cmd->callback([] { run(flags); });
}

}  // namespace fmn::bench
