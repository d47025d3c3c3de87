// fmn-bench chaos: the randomized fault campaign. Each run starts the real servers and
// fmn-pipeline, publishes the corpus at --rate over ZeroMQ, or with --source amqp as
// fedora-messaging messages on RabbitMQ (a broker restart then takes the publisher restart's
// place, and nothing published may be missing), while faults drawn from its seed hit
// fmn and the servers (tests/faults/chaos_schedule.h lists them), then checks every delivered
// notification against the reference interpreter's expected set
// (tests/faults/chaos_history.h says how each difference is counted). Run k uses seed
// --seed + k; --replay FILE runs the schedule a failing run wrote instead.
//
// A run with any loss, duplicate or late delivery writes chaos-seed-<seed>.json in
// --failures-dir: its schedule (replayable), the events as taken, the counts and each finding
// with its reason. A run that cannot be carried out (a server would not start) is tried once
// more, then counted as not run, and the campaign goes on (tests/faults/chaos_campaign.h). The
// exit status is 1 when a run broke a promise (a loss beyond the known limits, a confirmed
// duplicate, an unexpected delivery), otherwise 2 when a run could not be carried out. With
// --json the last line is one JSON object: the totals (runs, not_run, lost, duplicated, late,
// not_received...) and every run.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "bench/bench_commands.h"
#include "tests/faults/chaos_campaign.h"
#include "tests/faults/chaos_history.h"
#include "tests/faults/chaos_run.h"

namespace fmn::bench {
namespace {

struct ChaosFlags {
  size_t runs = 10;
  uint64_t seed = 1;
  faults::ChaosShape shape;
  std::string source = "zeromq";
  std::string replay;
  std::string failures_dir = ".";
  bool json = false;
};

void print_run(const faults::ChaosHistory& h, const faults::ChaosVerdict& v) {
  std::printf(
      "seed %llu (%s): expected %zu delivered %zu not_received %zu (not accepted %zu) refused %zu "
      "lost "
      "%zu "
      "(known limit %zu) duplicated %zu (unconfirmed %zu) late %zu unexpected %zu  [%.1f s]%s\n",
      static_cast<unsigned long long>(h.schedule.seed),
      std::string(faults::source_name(h.schedule.source)).c_str(), v.expected, v.delivered,
      v.not_received, v.not_accepted, v.refused, v.lost, v.lost_known_limit, v.duplicated,
      v.duplicated_unconfirmed, v.late, v.unexpected, h.seconds, v.broken() ? "  BROKEN" : "");
  std::printf(
      "  expected (received): email %zu (%zu) digest %zu (%zu) irc %zu (%zu) sse %zu (%zu)"
      ", %zu SSE connections\n",
      h.email.expected.size(), h.email.received.size(), h.digest.expected.size(),
      h.digest.received.size(), h.irc.expected.size(), h.irc.received.size(), h.sse.expected.size(),
      h.sse.received.size(), h.sse_connections);
  std::printf("  faults:");
  for (const faults::ChaosEvent& e : h.events) {
    std::printf(" %s@%zu", std::string(faults::action_name(e.action)).c_str(), e.before);
  }
  std::printf("\n");
  for (const faults::ChaosFinding& f : v.findings) {
    std::printf("  %s %s %s: %s\n", f.kind.c_str(), f.sink.c_str(), f.id.c_str(), f.reason.c_str());
  }
  std::fflush(stdout);
}

void run(const ChaosFlags& flags) {
  std::vector<faults::ChaosSchedule> schedules;
  if (!flags.replay.empty()) {
    std::ifstream in(flags.replay, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto schedule = faults::parse_schedule(text);
    if (!schedule) {
      std::fprintf(stderr, "%s: %s\n", flags.replay.c_str(), schedule.error().message.c_str());
      exit_status() = 2;
      return;
    }
    schedules.push_back(std::move(schedule).value());
  } else {
    auto source = faults::parse_source(flags.source);
    if (!source) {
      std::fprintf(stderr, "--source: %s\n", source.error().message.c_str());
      exit_status() = 2;
      return;
    }
    faults::ChaosShape shape = flags.shape;
    shape.source = source.value();
    for (size_t k = 0; k < flags.runs; ++k) {
      schedules.push_back(faults::draw_schedule(flags.seed + k, shape));
    }
  }
  std::string runs_json;
  faults::ChaosCampaignReport report;
  report.not_carried_out = [](const faults::ChaosSchedule& schedule, const Error& e, bool again) {
    std::printf("seed %llu: could not be run: %s%s\n",
                static_cast<unsigned long long>(schedule.seed), e.message.c_str(),
                again ? "; trying once more" : "  NOT RUN");
    std::fflush(stdout);
  };
  report.judged = [&](const faults::ChaosHistory& history, const faults::ChaosVerdict& v) {
    const std::string record = faults::run_json(history, v);
    runs_json += (runs_json.empty() ? "" : ",") + record;
    print_run(history, v);
    if (v.failed()) {
      const auto file = std::filesystem::path(flags.failures_dir) /
                        ("chaos-seed-" + std::to_string(history.schedule.seed) + ".json");
      std::ofstream(file, std::ios::binary) << record << "\n";
      std::printf("  timeline written to %s (replay: fmn-bench chaos --replay %s)\n", file.c_str(),
                  file.c_str());
    }
  };
  const faults::ChaosCampaignTotals totals = faults::run_campaign(
      schedules, [](const faults::ChaosSchedule& s) { return faults::run_chaos(s); }, report);
  std::printf("total: %s\n", totals.json_fields().c_str());
  if (flags.json)
    std::printf("{\"bench\":\"chaos\",%s,\"per_run\":[%s]}\n", totals.json_fields().c_str(),
                runs_json.c_str());
  if (totals.broken_runs > 0) {
    exit_status() = 1;
  } else if (!totals.not_run.empty()) {
    exit_status() = 2;
  }
}

}  // namespace

void add_chaos_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "chaos", "Randomized fault runs against the real servers, checked against the rules");
  static ChaosFlags flags;
  cmd->add_option("--runs", flags.runs, "Runs, seeds --seed, --seed + 1, ...")
      ->capture_default_str();
  cmd->add_option("--seed", flags.seed, "Seed of the first run")->capture_default_str();
  cmd->add_option("--messages", flags.shape.messages, "Corpus messages published per run")
      ->capture_default_str();
  cmd->add_option("--rate", flags.shape.rate, "Messages published a second")->capture_default_str();
  cmd->add_option("--faults", flags.shape.faults, "Faults per run")->capture_default_str();
  cmd->add_option("--source", flags.source, "The bus: zeromq, or amqp (RabbitMQ)")
      ->capture_default_str();
  cmd->add_option("--replay", flags.replay, "Run the schedule of a failing run's JSON file");
  cmd->add_option("--failures-dir", flags.failures_dir, "Where failing runs' timelines go")
      ->capture_default_str();
  cmd->add_flag("--json", flags.json, "Last line: one JSON object");
  cmd->callback([] { run(flags); });
}

}  // namespace fmn::bench
