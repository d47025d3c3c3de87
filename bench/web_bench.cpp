// fmn-bench web: POST /api/v1/check over HTTP against the web app. --clients threads each keep
// one connection alive and send checks back to back for --seconds; every request's latency is
// recorded. Each text is new (a counter in a string literal, as typing makes new texts), so every
// check compiles; --repeat sends one text over and over (the checker's cache answers).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "prefs/dsl_rule_validator.h"
#include "prefs/file_store.h"
#include "tests/support/loopback.h"
#include "tests/support/temp_dir.h"
#include "web/web_app.h"

namespace fmn::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct WebFlags {
  int clients = 4;
  double seconds = 3;
  bool repeat = false;
  bool json = false;
  std::string prefs = "data/prefs/default.toml";
};

// Sends `request` and reads one response with a Content-Length; false on any failure or a
// status other than 200.
bool exchange(int fd, const std::string& request, std::string& buffer) {
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    return false;
  }
  buffer.clear();
  size_t need = std::string::npos;
  char chunk[8192];
  while (need == std::string::npos || buffer.size() < need) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    const size_t end = buffer.find("\r\n\r\n");
    if (need == std::string::npos && end != std::string::npos) {
      const size_t length = buffer.find("Content-Length: ");
      if (length == std::string::npos || length > end) return false;
      need = end + 4 + std::stoul(buffer.substr(length + 16));
    }
  }
  return buffer.starts_with("HTTP/1.1 200");
}

int run_web(const WebFlags& flags) {
  auto dir = test::TempDir::create("web-bench");
  if (!dir) return 1;
  const std::string prefs = (*dir / "prefs.toml").string();
  std::filesystem::copy_file(flags.prefs, prefs);
  web::WebAppConfig config;
  config.demo_sign_in = true;
  web::HttpServerConfig server;
  server.limits.max_connections_per_ip = static_cast<size_t>(flags.clients) + 1;  // all local
  auto app = web::WebApp::start(
      config, server, std::make_unique<prefs::FileStore>(prefs, prefs::dsl_rule_validator()),
      std::make_shared<dsl::RuleCompiler>());
  if (!app) {
    std::fprintf(stderr, "fmn-bench web: %s\n", app.error().message.c_str());
    return 1;
  }
  web::HttpRequest sign_in{"POST",
                           "/api/v1/session/demo",
                           "",
                           {{"content-type", "application/json"}},
                           R"({"user":"ralph"})"};
  const web::HttpResponse session = (*app)->handle(sign_in);
  std::string cookie, csrf;
  for (const auto& [name, value] : session.headers) {
    if (name == "Set-Cookie") cookie = value.substr(0, value.find(';'));
  }
  const size_t token = session.body.find("\"csrf_token\":\"") + 14;
  csrf = session.body.substr(token, session.body.find('"', token) - token);

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> failures{0};
  std::vector<std::vector<double>> latencies(flags.clients);
  std::vector<std::thread> threads;
  const int port = (*app)->port();
  for (int c = 0; c < flags.clients; ++c) {
    threads.emplace_back([&, c] {
      const int fd = test::connect_loopback(port);
      if (fd < 0) {
        failures.fetch_add(1);
        return;
      }
      std::string buffer;
      for (uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const std::string body =
            R"({"source":"packages in $my_packages and topic ~ \"*.koji.)" +
            (flags.repeat ? std::string("x") : std::to_string(c) + "." + std::to_string(i)) +
            R"(\" and agent != $me"})";
        const std::string request =
            "POST /api/v1/check HTTP/1.1\r\nHost: localhost\r\nCookie: " + cookie +
            "\r\nX-CSRF-Token: " + csrf +
            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body;
        const auto start = Clock::now();
        if (!exchange(fd, request, buffer)) {
          failures.fetch_add(1);
          break;
        }
        latencies[c].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      }
      ::close(fd);
    });
  }
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(flags.seconds));
  stop.store(true);
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto percentile = [&all](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  print_report(stdout, "web-check", {Run{all.size(), 0, seconds}}, flags.json,
               {{"p50_ms", percentile(0.50)},
                {"p99_ms", percentile(0.99)},
                {"clients", flags.clients},
                {"failures", static_cast<double>(failures.load())}});
  return failures.load() == 0 ? 0 : 1;
}

}  // namespace

void add_web_command(CLI::App& app) {
  auto flags = std::make_shared<WebFlags>();
  CLI::App* cmd = app.add_subcommand(
      "web", "POST /api/v1/check over HTTP: requests per second and latency percentiles");
  cmd->add_option("--clients", flags->clients, "Connections, each sending back to back")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--seconds", flags->seconds, "How long to send");
  cmd->add_option("--prefs", flags->prefs, "Preferences to serve (a copy is used)");
  cmd->add_flag("--repeat", flags->repeat, "Send one text over and over (cache hits)");
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->callback([flags] { exit_status() = run_web(*flags); });
}

}  // namespace fmn::bench
