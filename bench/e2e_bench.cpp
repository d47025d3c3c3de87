// fmn-bench e2e: the service's data path end to end. A publisher thread plays the corpus
// (rewritten, as fmn-replay does) over ZeroMQ tcp loopback into the pipeline's graph: parse +
// meta, admission, the rule engine over a generated population of --users users, the delivery
// router and one sink queue and thread in front of a counting sink. Throughput at full speed
// (first message received to the last batch in the sink queue); then latency from publish to
// the sink queue at half that rate; RSS; the naive evaluate-every-rule baseline on the same
// rules. With --json the last line is one JSON object.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/match_population.h"
#include "bus/replayer.h"
#include "bus/zmq_publisher.h"
#include "bus/zmq_source.h"
#include "core/envelope_parser.h"
#include "engine/rule_engine.h"
#include "pipeline/delivery_router.h"
#include "pipeline/engine_matcher.h"
#include "pipeline/graph.h"
#include "sinks/counting_sink.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct E2eFlags {
  size_t users = 10000;
  std::string corpus = "corpus/fedmsg-real.jsonl";
  std::string engine = "auto";
  size_t packages = 25000;
  uint64_t messages = 200000;         // per throughput repetition
  uint64_t latency_messages = 20000;  // at half load
  int repetitions = 3;
  double naive_seconds = 1;
  bool json = false;
};

// Ends the bus source after `limit` messages, so the graph drains and returns.
class CountedSource : public bus::Source {
 public:
  CountedSource(bus::Source& inner, uint64_t limit) : inner_(inner), left_(limit) {}
  bool next_batch(std::vector<bus::RawMessage>& out, size_t max) override {
    if (left_ == 0) return false;
    size_t before = out.size();
    bool more = inner_.next_batch(out, std::min<uint64_t>(max, left_));
    if (first_ == Clock::time_point{} && out.size() > before) first_ = Clock::now();
    left_ -= std::min<uint64_t>(left_, out.size() - before);
    return more && left_ > 0;
  }
  Clock::time_point first() const { return first_; }

 private:
  bus::Source& inner_;
  uint64_t left_;
  Clock::time_point first_{};
};

// In front of the router: records, for each message reaching the sink queues, the time since
// it was published (its number is the end of the msg_id the replayer wrote).
class LatencySink : public sinks::Sink {
 public:
  LatencySink(sinks::Sink& next, const std::vector<std::atomic<int64_t>>& sent)
      : next_(next), sent_(sent) {}
  std::string_view name() const override { return "latency"; }
  void deliver(std::span<const Notification> batch) override {
    next_.deliver(batch);
    int64_t now = Clock::now().time_since_epoch().count();
    const Message* last = nullptr;
    for (const Notification& n : batch) {
      if (n.message.get() == last) continue;
      last = n.message.get();
      std::string id(last->msg_id);
      if (id.size() < 12) continue;
      size_t number = std::stoul(id.substr(id.size() - 12), nullptr, 16);
      if (number == 0 || number > sent_.size()) continue;
      int64_t at = sent_[number - 1].load(std::memory_order_relaxed);
      if (at != 0) latencies_us.push_back(double(now - at) / 1e3);
    }
  }
  std::vector<double> latencies_us;

 private:
  sinks::Sink& next_;
  const std::vector<std::atomic<int64_t>>& sent_;
};

struct Pass {
  Run run;
  uint64_t notifications = 0;
  std::vector<double> latencies_us;
};

// One pass: `messages` published at `rate` (0: full speed) through the graph.
Pass run_pass(const bus::ReplayCorpus& corpus, const MetaExtractor& meta,
              const pipeline::Matcher& matcher, uint64_t messages, double rate) {
  Pass pass;
  bus::ZmqSourceOptions source_options;
  source_options.bind = {"tcp://127.0.0.1:*"};
  source_options.rcvhwm = 0;
  auto source = bus::ZmqSource::create(source_options);
  if (!source) {
    std::fprintf(stderr, "fmn-bench e2e: %s\n", source.error().message.c_str());
    return pass;
  }
  std::vector<std::atomic<int64_t>> sent(messages);
  std::thread publisher([&] {
    bus::ZmqPublisherOptions options;
    options.connect = (*source)->endpoints();
    options.sndhwm = 0;
    auto pub = bus::ZmqPublisher::create(options);
    if (!pub || (*pub)->wait_for_subscriptions(1, std::chrono::seconds(10)) == 0) return;
    bus::ReplayOptions replay;
    replay.loops =
        static_cast<uint32_t>((messages + corpus.records().size() - 1) / corpus.records().size());
    if (rate > 0) replay.pacing = bus::PacingOptions::fixed_rate(rate);
    bus::Replayer replayer(corpus, replay);
    uint64_t n = 0;
    bus::ZmqPublisher& socket = **pub;
    std::atomic<bool> stop{false};
    replayer.run(
        [&](std::string_view topic, std::string_view payload) {
          if (n < messages) sent[n].store(Clock::now().time_since_epoch().count());
          if (++n >= messages) stop = true;
          return socket.send(topic, payload);
        },
        &stop);
  });

  pipeline::PipelineStats stats;
  pipeline::ParseStage parse(meta, stats, [](const std::string&) {});
  sinks::CountingSink counting;
  pipeline::DeliveryRouter router;
  pipeline::SinkWorker worker(counting, 1024);
  for (DestinationKind kind : {DestinationKind::kEmail, DestinationKind::kIrc,
                               DestinationKind::kSse, DestinationKind::kStdout}) {
    router.route(kind, worker);
  }
  LatencySink latency(router, sent);
  pipeline::AdmissionStage admit(stats, 100000);
  CountedSource counted(**source, messages);
  pipeline::run_graph(counted, parse, matcher, latency, stats, pipeline::GraphOptions{}, &admit);
  auto end = Clock::now();
  worker.stop();
  publisher.join();
  pass.run.messages = stats.received.load();
  pass.notifications = stats.notifications.load();
  pass.run.seconds = std::chrono::duration<double>(end - counted.first()).count();
  pass.latencies_us = std::move(latency.latencies_us);
  return pass;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * double(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

double rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  return 0;
}

// The naive baseline: every rule for every message, on one core, for about `budget` seconds.
double naive_msgs_per_s(const engine::Generation& gen, const std::string& corpus,
                        const MetaExtractor& meta, double budget) {
  std::vector<std::unique_ptr<Message>> msgs;
  std::ifstream in(corpus);
  for (std::string line; std::getline(in, line);) {
    auto m = parse_envelope(line);
    if (!m) continue;
    meta.extract(*m.value());
    msgs.push_back(std::move(m).value());
  }
  std::vector<engine::Match> out;
  double start = thread_cpu_seconds();
  uint64_t n = 0;
  while (!msgs.empty() && (n == 0 || thread_cpu_seconds() - start < budget)) {
    out.clear();
    gen.match_naive(*msgs[n % msgs.size()], out);
    ++n;
  }
  return double(n) / (thread_cpu_seconds() - start);
}

void run(const E2eFlags& flags) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "fmn-bench e2e: %s\n", what.c_str());
    exit_status() = 1;
  };
  engine::EngineOptions engine_options;
  if (!engine::parse_engine_mode(flags.engine, engine_options.mode)) {
    return fail("--engine: interp, jit or auto");
  }
  auto corpus = bus::ReplayCorpus::load_file(flags.corpus);
  if (!corpus) return fail(corpus.error().message);
  auto meta = MetaExtractor::builtin(builtin_aliases());
  if (!meta) return fail(meta.error().message);
  auto vocabulary = bench_vocabulary(flags.corpus, flags.packages);
  if (!vocabulary) return fail(vocabulary.error().message);
  auto input = engine_input(prefs::generate_population(*vocabulary, {.users = flags.users}));
  if (!input) return fail(input.error().message);
  auto eng = engine::RuleEngine::create(engine_options);
  if (!eng) return fail(eng.error().message);
  size_t rules = input->rules;
  eng.value()->replace_all(std::move(input->users));
  eng.value()->wait_idle();
  pipeline::EngineMatcher matcher(**eng);
  std::printf("population: %zu users, %zu rules; engine %s\n", flags.users, rules,
              flags.engine.c_str());

  std::vector<Run> runs;
  double per_msg = 0;
  for (int rep = 0; rep < flags.repetitions; ++rep) {
    Pass pass = run_pass(*corpus, **meta, matcher, flags.messages, 0);
    per_msg = double(pass.notifications) / double(std::max<uint64_t>(1, pass.run.messages));
    runs.push_back(pass.run);
  }
  std::printf("notifications per message: %.1f\n", per_msg);
  double full = median_run(runs).msgs_per_s();
  Pass half = run_pass(*corpus, **meta, matcher, flags.latency_messages, full / 2);
  double p50 = percentile(half.latencies_us, 0.5), p99 = percentile(half.latencies_us, 0.99);
  std::printf(
      "half load (%.0f msg/s): bus -> sink queue latency p50 %.1f us, p99 %.1f us (%zu "
      "messages with notifications)\n",
      full / 2, p50, p99, half.latencies_us.size());
  double naive =
      naive_msgs_per_s(*eng.value()->current(), flags.corpus, **meta, flags.naive_seconds);
  double rss = rss_mb();
  std::printf("naive baseline (one core, matching only): %.1f msg/s; end to end / naive %.0fx\n",
              naive, full / naive);
  std::printf("RSS %.0f MB\n", rss);
  print_report(stdout, "e2e", runs, flags.json,
               {{"users", double(flags.users)},
                {"p50_us", p50},
                {"p99_us", p99},
                {"rss_mb", rss},
                {"notifications_per_msg", per_msg},
                {"naive_msgs_per_s", naive},
                {"speedup_vs_naive", full / naive}});
}

}  // namespace

void add_e2e_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "e2e", "End to end: ZeroMQ in -> parse -> match (rule engine) -> sink queue");
  static E2eFlags flags;
  cmd->add_option("--users", flags.users, "Generated users")->capture_default_str();
  cmd->add_option("--corpus", flags.corpus, "JSON-lines corpus")->capture_default_str();
  cmd->add_option("--engine", flags.engine, "interp, jit or auto")->capture_default_str();
  cmd->add_option("--messages", flags.messages, "Messages per throughput repetition")
      ->capture_default_str();
  cmd->add_option("--latency-messages", flags.latency_messages, "Messages at half load")
      ->capture_default_str();
  cmd->add_option("--repetitions", flags.repetitions, "Throughput repetitions")
      ->capture_default_str();
  cmd->add_flag("--json", flags.json, "Last line: one JSON object");
  cmd->callback([] { run(flags); });
}

}  // namespace fmn::bench
