// fmn-bench burst: --messages (100k) published as fast as possible over ZeroMQ into the
// service's data path (as e2e), and the time to drain them: from the first message published to
// the last batch of notifications in the sink queue. The target is 1 s at 100k users; the bench
// says whether it was met and never fails on it. With --json the last line is one JSON object.
#include <cstdio>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bench/bus_pass.h"
#include "bench/engine_setup.h"

namespace fmn::bench {
namespace {

constexpr double kTargetSeconds = 1;

struct BurstFlags {
  EngineSetupFlags setup{.users = 100000};
  uint64_t messages = 100000;
  bool json = false;
};

void run(const BurstFlags& flags) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "fmn-bench burst: %s\n", what.c_str());
    exit_status() = 1;
  };
  auto setup = EngineSetup::create(flags.setup);
  if (!setup) return fail(setup.error().message);
  (*setup)->print_population(stdout);
  auto pass = run_pass(**setup, flags.messages, 0);
  if (!pass) return fail(pass.error().message);
  Run run{.messages = pass->received, .seconds = pass->drain_seconds};
  std::printf("published %llu, received %llu, notifications %llu\n",
              static_cast<unsigned long long>(pass->published),
              static_cast<unsigned long long>(pass->received),
              static_cast<unsigned long long>(pass->notifications));
  double notifications_per_s = double(pass->notifications) / pass->drain_seconds;
  std::printf(
      "drain_s %.3f (first publish to last notification in the sink queue), %.0f msg/s, %.0f "
      "notifications/s\n",
      pass->drain_seconds, run.msgs_per_s(), notifications_per_s);
  std::printf("target: drained in <= %.0f s at %zu users: %s\n", kTargetSeconds, flags.setup.users,
              pass->drain_seconds <= kTargetSeconds ? "met" : "missed");
  print_report(stdout, "burst", {run}, flags.json,
               {{"users", double(flags.setup.users)},
                {"published", double(pass->published)},
                {"drain_s", pass->drain_seconds},
                {"notifications", double(pass->notifications)},
                {"notifications_per_s", notifications_per_s},
                {"rss_mb", rss_mb()}});
}

}  // namespace

void add_burst_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "burst", "Messages published as fast as possible: the time to drain them to the sink queue");
  static BurstFlags flags;
  add_engine_setup_options(*cmd, flags.setup);
  cmd->add_option("--messages", flags.messages, "Messages in the burst")->capture_default_str();
  cmd->add_flag("--json", flags.json, "Last line: one JSON object");
  cmd->callback([] { run(flags); });
}

}  // namespace fmn::bench
