// fmn-bench sse: SSE fan-out. --clients streaming clients connect to the SSE server, each on
// its own feed; events are published round-robin over the feeds at --rate a second for
// --seconds (0: as fast as possible), and one reader thread (epoll) counts what arrives and
// the publish-to-receive latency carried in each event.
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "sinks/sse_server.h"
#include "tests/support/loopback.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct SseFlags {
  int clients = 1000;
  double rate = 10'000;
  double seconds = 5;
  bool json = false;
};

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

int connect_client(int port, int feed) {
  const int fd = test::connect_loopback(port);
  if (fd < 0) return -1;
  const std::string request =
      "GET /feeds/f" + std::to_string(feed) + "?token=bench HTTP/1.1\r\nHost: localhost\r\n\r\n";
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads every client; counts "data: <ns>" events and records their latency.
struct Reader {
  std::atomic<uint64_t> events{0};
  std::atomic<bool> stop{false};
  std::vector<int64_t> latencies_ns;

  void run(const std::vector<int>& fds) {
    const int ep = epoll_create1(0);
    std::vector<std::string> partial(fds.size());
    for (size_t i = 0; i < fds.size(); ++i) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = i;
      epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
    }
    std::vector<epoll_event> ready(256);
    char buf[65536];
    while (!stop.load(std::memory_order_relaxed)) {
      const int n = epoll_wait(ep, ready.data(), static_cast<int>(ready.size()), 50);
      for (int k = 0; k < n; ++k) {
        const size_t i = ready[k].data.u64;
        const ssize_t got = ::read(fds[i], buf, sizeof buf);
        if (got <= 0) continue;
        std::string& text = partial[i];
        text.append(buf, static_cast<size_t>(got));
        size_t start = 0;
        for (size_t at; (at = text.find("data: ", start)) != std::string::npos;) {
          const size_t end = text.find('\n', at);
          if (end == std::string::npos) break;
          const int64_t sent = std::atoll(text.c_str() + at + 6);
          if (sent > 0) latencies_ns.push_back(now_ns() - sent);
          events.fetch_add(1, std::memory_order_relaxed);
          start = end + 1;
        }
        text.erase(0, start);
      }
    }
    ::close(ep);
  }
};

void run(const SseFlags& flags) {
  sinks::SseServerConfig config;
  config.backlog_per_feed = 16;
  auto server = sinks::SseServer::start(
      config, [](std::string_view, std::string_view token) { return token == "bench"; });
  if (!server) {
    std::fprintf(stderr, "fmn-bench sse: %s\n", server.error().message.c_str());
    exit_status() = 1;
    return;
  }
  std::vector<int> fds;
  for (int i = 0; i < flags.clients; ++i) {
    const int fd = connect_client((*server)->port(), i);
    if (fd < 0) {
      std::fprintf(stderr, "fmn-bench sse: client %d could not connect\n", i);
      exit_status() = 1;
      break;
    }
    fds.push_back(fd);
  }
  while ((*server)->clients() < fds.size())
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  Reader reader;
  std::thread reading([&] { reader.run(fds); });

  const uint64_t total = static_cast<uint64_t>(flags.rate * flags.seconds) > 0
                             ? static_cast<uint64_t>(flags.rate * flags.seconds)
                             : 100'000;
  const auto start = Clock::now();
  for (uint64_t i = 0; i < total; ++i) {
    if (flags.rate > 0) {
      const auto due =
          start + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(static_cast<double>(i) / flags.rate));
      std::this_thread::sleep_until(due);
    }
    (*server)->publish("f" + std::to_string(i % fds.size()), std::to_string(now_ns()));
  }
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (reader.events.load() < total && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  reader.stop = true;
  reading.join();
  for (int fd : fds) ::close(fd);

  std::vector<int64_t>& lat = reader.latencies_ns;
  std::sort(lat.begin(), lat.end());
  const auto pct = [&](double p) {
    return lat.empty() ? 0.0
                       : static_cast<double>(lat[static_cast<size_t>(p * (lat.size() - 1))]) / 1e3;
  };
  std::printf(
      "sse fan-out: %zu clients, %llu events published at %s, %llu received\n", fds.size(),
      static_cast<unsigned long long>(total),
      flags.rate > 0 ? (std::to_string(static_cast<int>(flags.rate)) + "/s").c_str() : "full speed",
      static_cast<unsigned long long>(reader.events.load()));
  print_report(stdout, "sse", {Run{reader.events.load(), 0, seconds}}, flags.json,
               {{"clients", static_cast<double>(fds.size())},
                {"published", static_cast<double>(total)},
                {"latency_p50_us", pct(0.5)},
                {"latency_p99_us", pct(0.99)}});
}

}  // namespace

void add_sse_command(CLI::App& app) {
  auto flags = std::make_shared<SseFlags>();
  CLI::App* cmd = app.add_subcommand("sse", "SSE fan-out to many connected clients");
  cmd->add_option("--clients", flags->clients, "Streaming clients, one feed each")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--rate", flags->rate, "Events published a second (0: as fast as possible)")
      ->capture_default_str();
  cmd->add_option("--seconds", flags->seconds, "How long to publish")->capture_default_str();
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
