// fmn-bench zmq: ZeroMQ receive throughput over tcp loopback into parsed messages. A
// publisher plays the corpus (rewritten, as fmn-replay does) to a SUB socket bound on
// 127.0.0.1; the publisher is a thread of this process, or the fmn-replay binary next to
// fmn-bench. The clock runs from the first message received to the last.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bus/replayer.h"
#include "bus/zmq_publisher.h"
#include "bus/zmq_source.h"
#include "core/envelope_parser.h"

extern char** environ;

namespace fmn::bench {
namespace {

struct ZmqFlags {
  std::string corpus;
  bool json = false;
  bool no_parse = false;
  std::string publisher = "thread";
  int repetitions = 5;
  uint64_t messages = 500000;
  size_t batch = 256;
};

// Publishes `loops` passes of the corpus to `endpoint`; returns when done or when `stop` is set.
using Publish = std::function<void(const std::string& endpoint, uint32_t loops)>;

Publish thread_publisher(const bus::ReplayCorpus& corpus, const std::atomic<bool>& stop) {
  return [&corpus, &stop](const std::string& endpoint, uint32_t loops) {
    bus::ZmqPublisherOptions options;
    options.connect = {endpoint};
    auto pub = bus::ZmqPublisher::create(options);
    if (!pub || (*pub)->wait_for_subscriptions(1, std::chrono::seconds(10)) == 0) return;
    bus::ReplayOptions replay;
    replay.loops = loops;
    bus::Replayer replayer(corpus, replay);
    bus::ZmqPublisher& socket = **pub;
    replayer.run([&](std::string_view t, std::string_view p) { return socket.send(t, p); }, &stop);
  };
}

Publish process_publisher(const std::string& corpus_path) {
  std::string replay =
      (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "fmn-replay").string();
  return [replay, corpus_path](const std::string& endpoint, uint32_t loops) {
    std::vector<std::string> args = {
        replay,    corpus_path,           "--connect",          endpoint,
        "--loops", std::to_string(loops), "--wait-subscribers", "1",
        "--quiet"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    if (posix_spawn(&pid, replay.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
      std::fprintf(stderr, "fmn-bench zmq: cannot run %s\n", replay.c_str());
      return;
    }
    int status = 0;
    waitpid(pid, &status, 0);
  };
}

// Receives `expected` messages (parsing each unless told not to). Stops early when nothing
// arrives for a few seconds, so a lost message shows as a short count rather than a hang.
// Also sets `receiver_cpu_seconds` to the CPU time the receiving thread used.
Run receive(bus::ZmqSource& source, uint64_t expected, const ZmqFlags& flags,
            double& receiver_cpu_seconds) {
  std::atomic<uint64_t> received{0};
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    uint64_t last = 0;
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::seconds(3));
      uint64_t now = received.load();
      if (now == last && !done.load()) source.stop();
      last = now;
    }
  });
  Run run;
  double cpu_start = thread_cpu_seconds();
  std::vector<bus::RawMessage> batch;
  std::chrono::steady_clock::time_point first{}, last{};
  uint64_t count = 0;
  while (count < expected) {
    batch.clear();
    if (!source.next_batch(batch, flags.batch)) break;
    if (count == 0) first = std::chrono::steady_clock::now();
    for (const bus::RawMessage& raw : batch) {
      run.bytes += raw.payload.size();
      if (!flags.no_parse) {
        auto m = parse_envelope(raw.payload, raw.topic);
        if (!m) std::fprintf(stderr, "fmn-bench zmq: %s\n", m.error().message.c_str());
      }
    }
    count += batch.size();
    received.store(count);
    last = std::chrono::steady_clock::now();
  }
  done = true;
  watchdog.join();
  run.messages = count;
  run.seconds = std::chrono::duration<double>(last - first).count();
  receiver_cpu_seconds = thread_cpu_seconds() - cpu_start;
  return run;
}

void run(const ZmqFlags& flags) {
  auto corpus = bus::ReplayCorpus::load_file(flags.corpus);
  if (!corpus || corpus->records().empty()) {
    std::fprintf(stderr, "fmn-bench zmq: %s\n",
                 corpus ? "the corpus is empty" : corpus.error().message.c_str());
    exit_status() = 1;
    return;
  }
  size_t n = corpus->records().size();
  auto loops = static_cast<uint32_t>((flags.messages + n - 1) / n);
  uint64_t expected = uint64_t{loops} * n;
  std::atomic<bool> stop{false};
  Publish publish = flags.publisher == "process" ? process_publisher(flags.corpus)
                                                 : thread_publisher(*corpus, stop);
  std::printf("zmq: tcp loopback, %s publisher, %llu messages a repetition, %s\n",
              flags.publisher.c_str(), static_cast<unsigned long long>(expected),
              flags.no_parse ? "receive only" : "received into parsed messages");
  std::vector<Run> runs, cpu_runs;
  uint64_t lost = 0;
  for (int rep = 0; rep < flags.repetitions; ++rep) {
    bus::ZmqSourceOptions options;
    options.bind = {"tcp://127.0.0.1:*"};
    auto source = bus::ZmqSource::create(options);
    if (!source) {
      std::fprintf(stderr, "fmn-bench zmq: %s\n", source.error().message.c_str());
      exit_status() = 1;
      return;
    }
    stop = false;
    std::thread publisher(publish, (*source)->endpoints()[0], loops);
    double cpu = 0;
    runs.push_back(receive(**source, expected, flags, cpu));
    cpu_runs.push_back({runs.back().messages, runs.back().bytes, cpu});
    stop = true;
    publisher.join();
    lost += expected - runs.back().messages;
  }
  print_report(stdout, "zmq", runs, flags.json,
               {{"receiver_cpu_ns_per_msg", median_run(cpu_runs).ns_per_msg()},
                {"lost", static_cast<double>(lost)}});
  if (lost > 0) exit_status() = 1;
}

}  // namespace

void add_zmq_command(CLI::App& app) {
  auto flags = std::make_shared<ZmqFlags>();
  CLI::App* cmd =
      app.add_subcommand("zmq", "ZeroMQ tcp loopback receive throughput into parsed messages");
  cmd->add_option("--corpus", flags->corpus, "JSON-lines corpus to publish")->required();
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->add_option("--publisher", flags->publisher,
                  "thread: a publisher thread in this process; process: the fmn-replay binary")
      ->capture_default_str()
      ->check(CLI::IsMember({"thread", "process"}));
  cmd->add_flag("--no-parse", flags->no_parse, "Receive only, do not parse");
  cmd->add_option("--repetitions", flags->repetitions, "Timed repetitions (the median is kept)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--messages", flags->messages,
                  "Messages a repetition receives, at least (whole passes over the corpus)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--batch", flags->batch, "Messages taken per next_batch() call")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
