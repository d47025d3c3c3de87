// fmn-bench sse-load: the load generator `fmn-bench sse` runs in its own process, so the
// clients' CPU and memory are not the server's. --clients streaming connections to
// 127.0.0.1:--port, client i on feed "f<i mod --feeds>"; prints "connected <n>" once all are
// connected, then reads every client (one epoll thread). Each event's data starts with its
// publish time (CLOCK_MONOTONIC nanoseconds, the same clock in both processes); an
// "event: missed" adds its count to `missed`. A line on stdin gives the number of events
// expected; once they have all arrived or been announced missed (or nothing came for 5 s), it
// prints "received missed notices closed p50_ns p99_ns last_ns" and exits.
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/sse_load.h"

namespace fmn::bench {

int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

namespace {

struct LoadFlags {
  int port = 0;
  int clients = 1000;
  int feeds = 1000;
};

int connect_client(int port, int feed) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string request =
      "GET /feeds/f" + std::to_string(feed) + "?token=bench HTTP/1.1\r\nHost: localhost\r\n\r\n";
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return -1;
  }
  return fd;
}

struct Tally {
  uint64_t received = 0, missed = 0, notices = 0, closed = 0;
  int64_t last_ns = 0;
  std::vector<int64_t> latencies_ns;

  // One complete line of a client's stream.
  void line(std::string_view text, int64_t now) {
    if (!text.starts_with("data: ")) return;
    text.remove_prefix(6);
    if (text.starts_with("{\"missed\":")) {
      missed += std::strtoull(text.data() + 10, nullptr, 10);
      ++notices;
      return;
    }
    const int64_t sent = std::strtoll(text.data(), nullptr, 10);
    if (sent <= 0) return;
    ++received;
    last_ns = now;
    latencies_ns.push_back(now - sent);
  }
};

void run(const LoadFlags& flags) {
  raise_descriptor_limit();
  std::vector<int> fds;
  for (int i = 0; i < flags.clients; ++i) {
    const int fd = connect_client(flags.port, i % flags.feeds);
    if (fd < 0) break;
    fds.push_back(fd);
  }
  std::printf("connected %zu\n", fds.size());
  std::fflush(stdout);

  const int ep = ::epoll_create1(0);
  epoll_event in{};
  in.events = EPOLLIN;
  in.data.u64 = fds.size();  // stdin
  ::epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
  for (size_t i = 0; i < fds.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
  }
  std::vector<std::string> partial(fds.size());
  std::vector<epoll_event> ready(512);
  std::vector<char> buf(1 << 16);
  Tally tally;
  uint64_t expected = UINT64_MAX;
  int64_t last_progress = monotonic_ns();
  while (tally.received + tally.missed < expected &&
         monotonic_ns() - last_progress < 5'000'000'000) {
    const int n = ::epoll_wait(ep, ready.data(), static_cast<int>(ready.size()), 100);
    const int64_t now = monotonic_ns();
    for (int k = 0; k < n; ++k) {
      const size_t i = ready[k].data.u64;
      if (i == fds.size()) {
        char line[64] = {};
        if (::read(0, line, sizeof line - 1) > 0) expected = std::strtoull(line, nullptr, 10);
        ::epoll_ctl(ep, EPOLL_CTL_DEL, 0, nullptr);
        continue;
      }
      const ssize_t got = ::read(fds[i], buf.data(), buf.size());
      if (got <= 0) {
        ++tally.closed;
        ::epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], nullptr);
        continue;
      }
      last_progress = now;
      std::string& text = partial[i];
      text.append(buf.data(), static_cast<size_t>(got));
      size_t start = 0;
      for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
        tally.line(std::string_view(text).substr(start, end - start), now);
      }
      text.erase(0, start);
    }
  }
  std::vector<int64_t>& lat = tally.latencies_ns;
  std::sort(lat.begin(), lat.end());
  const auto pct = [&](double p) {
    return lat.empty() ? 0 : lat[static_cast<size_t>(p * static_cast<double>(lat.size() - 1))];
  };
  std::printf(
      "%llu %llu %llu %llu %lld %lld %lld\n", static_cast<unsigned long long>(tally.received),
      static_cast<unsigned long long>(tally.missed), static_cast<unsigned long long>(tally.notices),
      static_cast<unsigned long long>(tally.closed), static_cast<long long>(pct(0.5)),
      static_cast<long long>(pct(0.99)), static_cast<long long>(tally.last_ns));
  std::fflush(stdout);
  for (int fd : fds) ::close(fd);
  ::close(ep);
}

}  // namespace

void add_sse_load_command(CLI::App& app) {
  auto flags = std::make_shared<LoadFlags>();
  CLI::App* cmd = app.add_subcommand("sse-load", "The client side of `sse` (run by it)");
  cmd->add_option("--port", flags->port, "The SSE server's port")->required();
  cmd->add_option("--clients", flags->clients, "Streaming clients")->check(CLI::PositiveNumber);
  cmd->add_option("--feeds", flags->feeds, "Feeds they spread over")->check(CLI::PositiveNumber);
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
