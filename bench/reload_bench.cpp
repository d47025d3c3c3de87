// fmn-bench reload: whole-population reloads (every user's rules compiled and published, as on
// SIGHUP) while notifications flow to a sink, and the longest delivery stall they cause.
//
// A matching thread turns corpus messages into notifications for a generated population and
// submits them, at most kBatch at a time, to a SinkWorker whose sink is a DigestBatcher in
// front of a sink that does nothing; the worker's thread times each delivery. The main thread
// reloads the population `--reloads` times, each with a fresh rule compiler (the worst case:
// every distinct rule text compiled again). The figure is the longest delivery of one batch
// (the time the sink thread spent on it: a lock taken per notification and held by a reload
// would show here as the reload's length) from the first reload's start to the last one's end,
// beside the longest in `--idle-seconds` with no reload before, for scale: on a loaded machine
// the scheduler makes stalls of its own.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/match_population.h"
#include "bus/replay_corpus.h"
#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "engine/rule_engine.h"
#include "pipeline/engine_matcher.h"
#include "pipeline/live_preferences.h"
#include "pipeline/sink_worker.h"
#include "prefs/population_generator.h"
#include "sinks/digest_batcher.h"
#include "sinks/memory_digest_store.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kBatch = 256;  // notifications per delivery at most

struct ReloadFlags {
  size_t users = 100000;
  std::string profile = "fedora";
  std::string corpus = "corpus/fedmsg-real.jsonl";
  int reloads = 3;
  int idle_seconds = 5;
  bool json = false;
};

// Passes batches on and records the longest delivery, split by whether a reload was running.
// Called on the worker's thread only; read after it stopped.
class GapSink : public sinks::Sink {
 public:
  GapSink(sinks::Sink& inner, const std::atomic<bool>& measuring,
          const std::atomic<bool>& reloading)
      : inner_(inner), measuring_(measuring), reloading_(reloading) {}
  std::string_view name() const override { return "gap"; }
  void deliver(std::span<const Notification> batch) override {
    const Clock::time_point start = Clock::now();
    inner_.deliver(batch);
    if (measuring_.load()) {
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      double& longest = reloading_.load() ? longest_reloading_ms : longest_idle_ms;
      longest = std::max(longest, ms);
      delivered += batch.size();
    }
  }
  void tick() override { inner_.tick(); }

  double longest_reloading_ms = 0, longest_idle_ms = 0;
  uint64_t delivered = 0;

 private:
  sinks::Sink& inner_;
  const std::atomic<bool>&measuring_, &reloading_;
};

class NullSink : public sinks::Sink {
 public:
  std::string_view name() const override { return "null"; }
  void deliver(std::span<const Notification>) override {}
};

Result<std::vector<MessagePtr>> load_messages(const std::string& path) {
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  if (!extractor) return extractor.error();
  auto corpus = bus::ReplayCorpus::load_file(path);
  if (!corpus) return corpus.error();
  std::vector<MessagePtr> out;
  std::string envelope;
  for (const bus::ReplayRecord& r : corpus->records()) {
    bus::ReplayCorpus::render(r, "bench-" + std::to_string(r.origin), 1, 0, envelope);
    auto m = parse_envelope(envelope);
    if (!m) continue;
    extractor.value()->extract(*m.value());
    out.push_back(std::move(m).value());
  }
  return out;
}

void run(const ReloadFlags& flags) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "fmn-bench reload: %s\n", what.c_str());
    exit_status() = 1;
  };
  auto messages = load_messages(flags.corpus);
  if (!messages) return fail(messages.error().message);
  auto vocabulary = bench_vocabulary(flags.corpus, 25000);
  if (!vocabulary) return fail(vocabulary.error().message);
  prefs::GeneratorOptions generator{.users = flags.users};
  if (!prefs::parse_profile(flags.profile, generator.profile)) {
    return fail("--profile: fedora or stress");
  }
  prefs::Population population = prefs::generate_population(*vocabulary, generator);
  engine::EngineOptions options;
  options.mode = engine::EngineMode::kInterp;  // the reload's cost is compiling rule text
  auto engine = engine::RuleEngine::create(options);
  if (!engine) return fail(engine.error().message);
  pipeline::LivePreferences live(**engine, pipeline::Shard{}, "bench");
  live.replace(population.users);
  pipeline::EngineMatcher matcher(**engine);

  std::atomic<bool> measuring{false}, reloading{false}, done{false};
  sinks::MemoryDigestStore store;
  NullSink null;
  sinks::DigestBatcher batcher(null, store);
  GapSink gaps(batcher, measuring, reloading);
  pipeline::SinkWorker worker(gaps, 65536);
  std::thread producer([&] {
    for (size_t i = 0; !done.load(); i = (i + 1) % messages->size()) {
      std::vector<Notification> out;
      matcher.match((*messages)[i], out);
      for (size_t from = 0; from < out.size(); from += kBatch) {
        const size_t to = std::min(out.size(), from + kBatch);
        worker.submit(std::make_shared<const std::vector<Notification>>(out.begin() + from,
                                                                        out.begin() + to));
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // warm-up, not measured
  measuring.store(true);
  const Clock::time_point measured_from = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(flags.idle_seconds));  // no reload, for scale
  reloading.store(true);
  std::vector<double> reload_s;
  for (int r = 0; r < flags.reloads; ++r) {
    // A new view of the same users: a fresh compiler, the same ids (given in the same order).
    pipeline::LivePreferences reloaded(**engine, pipeline::Shard{}, "bench");
    const Clock::time_point start = Clock::now();
    reloaded.replace(population.users);
    reload_s.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // what a reload leaves behind
  measuring.store(false);
  const double measured_s = std::chrono::duration<double>(Clock::now() - measured_from).count();
  done.store(true);
  producer.join();
  worker.stop();

  std::sort(reload_s.begin(), reload_s.end());
  const double median_reload = reload_s[reload_s.size() / 2];
  std::printf(
      "population: profile %s, %zu users; %d reloads, median %.3f s each (every rule compiled)\n",
      flags.profile.c_str(), flags.users, flags.reloads, median_reload);
  std::printf(
      "delivered %llu notifications; longest delivery of one batch (<= %zu): %.2f ms during "
      "reloads, %.2f ms without\n",
      static_cast<unsigned long long>(gaps.delivered), kBatch, gaps.longest_reloading_ms,
      gaps.longest_idle_ms);
  // Throughput over the whole measured time (the notifications delivered, as "msg").
  Run run{.messages = gaps.delivered, .seconds = measured_s};
  std::printf("%.0f notifications/s\n", double(gaps.delivered) / measured_s);
  print_report(stdout, "reload", {run}, flags.json,
               {{"users", double(flags.users)},
                {"reload_s", median_reload},
                {"stall_during_reload_ms", gaps.longest_reloading_ms},
                {"stall_without_reload_ms", gaps.longest_idle_ms}});
}

}  // namespace

void add_reload_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "reload", "Whole-population reloads while notifications flow: the longest delivery stall");
  static ReloadFlags flags;
  cmd->add_option("--users", flags.users, "Generated users")->capture_default_str();
  cmd->add_option("--profile", flags.profile, "Population: fedora or stress")
      ->capture_default_str();
  cmd->add_option("--corpus", flags.corpus, "JSON-lines corpus")->capture_default_str();
  cmd->add_option("--reloads", flags.reloads, "Reloads measured")->capture_default_str();
  cmd->add_option("--idle-seconds", flags.idle_seconds, "Time measured first, with no reload")
      ->capture_default_str();
  cmd->add_flag("--json", flags.json, "Last line: one JSON object");
  cmd->callback([] { run(flags); });
}

}  // namespace fmn::bench
