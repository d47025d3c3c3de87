// fmn-bench sse: SSE fan-out measured from outside. The SSE server runs here; the clients run
// in a separate process (`fmn-bench sse-load`, epoll): --clients streaming connections spread
// over --feeds feeds. Events of --bytes bytes, each starting with its publish time, are
// published round-robin over the feeds at --rate a second in all for --seconds; the load
// generator counts what arrives (and what "missed" notices announce) and the publish-to-receive
// latency. Both processes raise their soft descriptor limit to the hard one. Reports clients,
// events_per_s (delivered to clients), missed, dropped_slow, rss_mb (the server process's
// peak), p50_ms, p99_ms and the CPU seconds of each side.
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/sse_load.h"
#include "sinks/sse_server.h"
#include "tests/support/loopback.h"

extern char** environ;

namespace fmn::bench {
namespace {

struct SseFlags {
  int clients = 1000;
  int feeds = 0;  // 0: one per client
  double rate = 10'000;
  double seconds = 10;
  int bytes = 300;
  size_t budget_mb = 512;
  size_t network_threads = 1;
  bool json = false;
};

// The load generator: its pid, and pipes to its stdin and from its stdout.
struct LoadGenerator {
  pid_t pid = -1;
  FILE* in = nullptr;
  FILE* out = nullptr;
};

LoadGenerator spawn_load(int port, const SseFlags& flags) {
  int to_child[2], from_child[2];
  LoadGenerator load;
  if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) return load;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
  posix_spawn_file_actions_addclose(&actions, to_child[1]);
  posix_spawn_file_actions_addclose(&actions, from_child[0]);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  std::vector<std::string> args = {self,        "sse-load",
                                   "--port",    std::to_string(port),
                                   "--clients", std::to_string(flags.clients),
                                   "--feeds",   std::to_string(flags.feeds)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&load.pid, self.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
    load.pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);
  load.in = ::fdopen(to_child[1], "w");
  load.out = ::fdopen(from_child[0], "r");
  return load;
}

// The peak resident set of this process (VmHWM), in MB.
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmHWM:")) return std::stod(line.substr(6)) / 1024;
  }
  return 0;
}

double cpu_seconds(int who) {
  rusage usage{};
  ::getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void fail(const char* what) {
  std::fprintf(stderr, "fmn-bench sse: %s\n", what);
  exit_status() = 1;
}

void run(SseFlags flags) {
  if (flags.feeds <= 0 || flags.feeds > flags.clients) flags.feeds = flags.clients;
  raise_descriptor_limit();
  sinks::SseServerConfig config;
  config.limits.max_connections_per_ip =
      static_cast<size_t>(flags.clients) + 1;  // all from 127.0.0.1
  config.limits.max_connections = config.limits.max_connections_per_ip;
  sinks::apply_memory_budget(config, flags.budget_mb << 20);
  config.network_threads = flags.network_threads;
  auto server = sinks::SseServer::start(
      config, [](std::string_view, std::string_view token) { return token == "bench"; });
  if (!server) return fail(server.error().message.c_str());
  LoadGenerator load = spawn_load((*server)->port(), flags);
  if (load.pid < 0 || load.in == nullptr || load.out == nullptr) {
    return fail("cannot start the load generator");
  }
  size_t connected = 0;
  if (std::fscanf(load.out, "connected %zu", &connected) != 1 ||
      connected != static_cast<size_t>(flags.clients)) {
    std::fprintf(stderr, "fmn-bench sse: %zu of %d clients connected (descriptor limit?)\n",
                 connected, flags.clients);
  }
  const auto wait_until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((*server)->clients() < connected && std::chrono::steady_clock::now() < wait_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double rss_idle = rss_mb();
  const double cpu_before = cpu_seconds(RUSAGE_SELF);

  // Clients per feed: client i reads feed i mod feeds.
  std::vector<uint64_t> readers(static_cast<size_t>(flags.feeds), 0);
  for (size_t i = 0; i < connected; ++i) ++readers[i % readers.size()];
  const auto total = static_cast<uint64_t>(flags.rate * flags.seconds);
  const std::string padding(static_cast<size_t>(std::max(flags.bytes - 20, 1)), 'p');
  uint64_t expected = 0;
  const int64_t start = monotonic_ns();
  for (uint64_t i = 0; i < total;) {
    const auto due =
        static_cast<uint64_t>(static_cast<double>(monotonic_ns() - start) / 1e9 * flags.rate);
    if (i >= due) {
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      continue;
    }
    for (; i < std::min(due, total); ++i) {
      const size_t feed = i % readers.size();
      expected += readers[feed];
      (*server)->publish("f" + std::to_string(feed),
                         std::to_string(monotonic_ns()) + " " + padding);
    }
  }
  const double publish_s = static_cast<double>(monotonic_ns() - start) / 1e9;
  std::fprintf(load.in, "%llu\n", static_cast<unsigned long long>(expected));
  std::fflush(load.in);
  unsigned long long received = 0, missed = 0, notices = 0, closed = 0;
  long long p50 = 0, p99 = 0, last_ns = 0;
  const int fields = std::fscanf(load.out, "%llu %llu %llu %llu %lld %lld %lld", &received, &missed,
                                 &notices, &closed, &p50, &p99, &last_ns);
  int status = 0;
  ::waitpid(load.pid, &status, 0);
  std::fclose(load.in);
  std::fclose(load.out);
  if (fields != 7) return fail("the load generator gave no figures");
  const double server_cpu = cpu_seconds(RUSAGE_SELF) - cpu_before;
  const double seconds = std::max(static_cast<double>(last_ns - start) / 1e9, publish_s);

  std::printf(
      "sse fan-out: %zu clients on %d feeds, %llu events published at %.0f/s for %.1f s; "
      "%llu of %llu deliveries received, %llu announced missed\n",
      connected, flags.feeds, static_cast<unsigned long long>(total), flags.rate, publish_s,
      received, static_cast<unsigned long long>(expected), missed);
  print_report(
      stdout, "sse", {Run{received, 0, seconds}}, flags.json,
      {{"clients", static_cast<double>(connected)},
       {"feeds", static_cast<double>(flags.feeds)},
       {"rate", flags.rate},
       {"events_per_s", static_cast<double>(received) / seconds},
       {"expected", static_cast<double>(expected)},
       {"missed", static_cast<double>(missed)},
       {"lost", static_cast<double>(expected - std::min<uint64_t>(expected, received + missed))},
       {"lag_notices", static_cast<double>(notices)},
       {"dropped_slow", static_cast<double>((*server)->slow_disconnects())},
       {"closed", static_cast<double>(closed)},
       {"publish_waits", static_cast<double>((*server)->publish_waits())},
       {"rss_idle_mb", rss_idle},
       {"rss_mb", peak_rss_mb()},
       {"peak_held_mb", static_cast<double>((*server)->peak_memory_bytes()) / (1 << 20)},
       {"p50_ms", static_cast<double>(p50) / 1e6},
       {"p99_ms", static_cast<double>(p99) / 1e6},
       {"server_cpu_s", server_cpu},
       {"client_cpu_s", cpu_seconds(RUSAGE_CHILDREN)}});
}

}  // namespace

void add_sse_command(CLI::App& app) {
  auto flags = std::make_shared<SseFlags>();
  CLI::App* cmd = app.add_subcommand("sse", "SSE fan-out to many clients in another process");
  cmd->add_option("--clients", flags->clients, "Streaming clients")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--feeds", flags->feeds, "Feeds the clients spread over (default: one each)");
  cmd->add_option("--rate", flags->rate, "Events published a second, over all feeds")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seconds", flags->seconds, "How long to publish")->capture_default_str();
  cmd->add_option("--bytes", flags->bytes, "Bytes of data per event")->capture_default_str();
  cmd->add_option("--budget-mb", flags->budget_mb,
                  "The server's memory budget (sse.memory_budget_mb)")
      ->capture_default_str();
  cmd->add_option("--network-threads", flags->network_threads,
                  "The server's network threads (sse.network_threads; 0: one per core)")
      ->capture_default_str();
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
