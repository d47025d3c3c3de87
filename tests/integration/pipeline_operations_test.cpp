// What an operator meets when starting and stopping the real fmn-pipeline: a taken admin port
// stops the start-up, an unreachable Redis is said at once, a failed reload shows in /metrics and
// /readyz, and a stop does not wait for an idle input to close.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "prefs/file_store.h"
#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

std::string free_bus() {
  auto port = pick_free_port();
  return port.ok() ? "tcp://127.0.0.1:" + std::to_string(*port) : "";
}

// A muted user gets nothing of a replay, whatever matched; a destination whose mute has ended
// gets everything again.
TEST(PipelineOperations, AMutedUserGetsNothingAndAnEndedMuteNoLongerHolds) {
  constexpr const char* kPrefs = R"(version = 1

[[users]]
name = "alice"
muted_until = 2099-01-01T00:00:00Z

[[users.destinations]]
kind = "email"
address = "alice@example.org"

[[users.rules]]
name = "all"
source = 'topic ~ "*"'
deliver = [{ to = "email" }]

[[users]]
name = "bob"

[[users.destinations]]
kind = "email"
address = "bob@example.org"
muted_until = 2020-01-01T00:00:00Z

[[users.rules]]
name = "all"
source = 'topic ~ "*"'
deliver = [{ to = "email" }]
)";
  auto dir = TempDir::create("muted-run");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  std::ofstream(*dir / "prefs.toml") << kPrefs;
  auto run = run_pipeline(
      "muted", {"--replay", kCorpusFile, "--prefs", (*dir / "prefs.toml").string()}, kTimeout);
  ASSERT_TRUE(run.ok()) << run.error().message;
  size_t alice = 0, bob = 0;
  for (const std::string& line : notification_lines(*run)) {
    alice += line.starts_with("alice ");
    bob += line.starts_with("bob ");
  }
  // Both users matched every message; only bob's notifications left.
  std::optional<PipelineSummary> summary = parse_summary(*run);
  ASSERT_TRUE(summary.has_value()) << *run;
  EXPECT_EQ(alice, 0u) << *run;
  EXPECT_GT(bob, 0u);
  EXPECT_EQ(summary->notifications, 2 * bob) << *run;
}

TEST(PipelineOperations, WithoutArgumentsTheEmbeddedDemoReplaysTheCorpus) {
  auto output = run_pipeline("demo", {}, kTimeout);
  ASSERT_TRUE(output.ok()) << output.error().message;
  std::optional<PipelineSummary> summary = parse_summary(*output);
  ASSERT_TRUE(summary.has_value()) << *output;
  EXPECT_EQ(summary->received, kCorpusMessages);
  EXPECT_GT(summary->notifications, 0u);
  EXPECT_EQ(notification_lines(*output).size(), summary->notifications);
  EXPECT_NE(output->find("sequence gaps are expected when replaying a recorded sample"),
            std::string::npos)
      << *output;
}

TEST(PipelineOperations, ASecondInstanceOnATakenAdminPortRefusesToStart) {
  const std::string bus = free_bus();
  auto first = PipelineProcess::start("admin-first", {"--connect", bus}, kTimeout);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::string admin = loopback_address(first->admin_port());

  auto dir = TempDir::create("admin-second");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  SpawnOptions second{.argv = {std::string(FMN_BIN_DIR) + "/fmn-pipeline", "--connect", bus,
                               "--sse-listen", "", "--admin-listen", admin},
                      .log = *dir / "second.log"};
  auto child = ChildProcess::spawn(second);
  ASSERT_TRUE(child.ok()) << child.error().message;
  auto status = wait_exit(*child, kTimeout);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_NE(WEXITSTATUS(*status), 0);
  EXPECT_NE(child->log_text().find("cannot listen on " + admin), std::string::npos)
      << child->log_text();
  // The first instance still answers its scrapes.
  EXPECT_EQ(first->get("/healthz").first, 200);
}

// Redis holds the outbox, pending digests and delivery marks: a start without it is refused,
// saying which address did not answer (a Redis lost later fails readiness instead).
TEST(PipelineOperations, AnUnreachableRedisAtStartIsRefusedNamingItsAddress) {
  auto dead = pick_free_port();
  ASSERT_TRUE(dead.ok()) << dead.error().message;
  const std::string redis = loopback_address(*dead);
  auto dir = TempDir::create("redis-down");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  SpawnOptions options{
      .argv = {std::string(FMN_BIN_DIR) + "/fmn-pipeline", "--connect", free_bus(), "--sse-listen",
               "", "--admin-listen", "127.0.0.1:0", "--redis", redis},
      .log = *dir / "redis-down.log"};
  auto child = ChildProcess::spawn(options);
  ASSERT_TRUE(child.ok()) << child.error().message;
  auto status = wait_exit(*child, kTimeout);
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(WEXITSTATUS(*status), 1);
  const std::string log = child->log_text();
  EXPECT_NE(log.find("ERROR redis_unavailable address=" + redis), std::string::npos) << log;
  EXPECT_NE(log.find("state.redis: redis " + redis), std::string::npos) << log;
  EXPECT_NE(log.find("start Redis, then fmn-pipeline"), std::string::npos) << log;
}

TEST(PipelineOperations, AFailedReloadShowsInMetricsAndReadinessUntilOneSucceeds) {
  auto dir = TempDir::create("reload-metric");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const std::string prefs = (*dir / "prefs.toml").string();
  const std::string good = "version = 1\n[[users]]\nname = \"alice\"\n";
  ASSERT_TRUE(prefs::write_file_atomically(prefs, good).ok());
  auto p = PipelineProcess::start("reload-metric", {"--connect", free_bus(), "--prefs", prefs},
                                  kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->metric("fmn_reload_failures_total"), 0.0);
  EXPECT_EQ(p->metric("fmn_last_reload_success"), 1.0);

  ASSERT_TRUE(prefs::write_file_atomically(prefs, "version = 1\n[[users]\n").ok());
  ASSERT_EQ(::kill(p->process().pid(), SIGHUP), 0);
  Status failed = p->wait_metric("fmn_reload_failures_total", 1, kTimeout);
  ASSERT_TRUE(failed.ok()) << failed.error().message;
  EXPECT_EQ(p->metric("fmn_last_reload_success"), 0.0);
  auto [status, body] = p->get("/readyz");
  EXPECT_EQ(status, 503);
  EXPECT_NE(body.find("reload: not ready\n"), std::string::npos) << body;

  ASSERT_TRUE(prefs::write_file_atomically(prefs, good).ok());
  ASSERT_EQ(::kill(p->process().pid(), SIGHUP), 0);
  Status succeeded = p->wait_metric("fmn_last_reload_success", 1, kTimeout);
  ASSERT_TRUE(succeeded.ok()) << succeeded.error().message;
  EXPECT_NE(p->get("/readyz").second.find("reload: ok\n"), std::string::npos);
  EXPECT_EQ(p->metric("fmn_reload_failures_total"), 1.0);
}

TEST(PipelineOperations, SigtermStopsAReplayOfAnIdlePipeThatStaysOpen) {
  auto dir = TempDir::create("idle-pipe");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const std::string fifo = (*dir / "input").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Held open for writing (and reading, so the open does not wait) until the test ends: the
  // pipeline's input is idle, as a `--replay -` from a quiet producer is.
  int held = ::open(fifo.c_str(), O_RDWR);
  ASSERT_GE(held, 0);
  auto p = PipelineProcess::start("idle-pipe", {"--replay", fifo}, kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(::kill(p->process().pid(), SIGTERM), 0);
  auto exited = wait_exit(p->process(), kTimeout);
  ::close(held);
  ASSERT_TRUE(exited.ok()) << exited.error().message;
  EXPECT_EQ(WEXITSTATUS(*exited), 0) << p->output();
  EXPECT_TRUE(p->summary().has_value()) << p->output();
  EXPECT_NE(p->output().find("INFO shutdown signal=SIGTERM"), std::string::npos) << p->output();
}

TEST(PipelineOperations, JsonLogsEndWithAStoppedEventThatExplainsReplayGaps) {
  auto output = run_pipeline(
      "json-summary", {"--replay", kCorpusFile, "--no-stdout", "--log-format", "json"}, kTimeout);
  ASSERT_TRUE(output.ok()) << output.error().message;
  std::istringstream lines(*output);
  std::string last;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.rfind("{\"ts\":", 0), 0u) << "not a JSON event: " << line;
    last = line;
  }
  EXPECT_NE(last.find("\"event\":\"stopped\",\"messages\":380,"), std::string::npos) << last;
  // The recorded corpus is a sample of the bus: its publishers' sequence numbers skip.
  EXPECT_NE(last.find("\"note\":\"sequence gaps are expected when replaying a recorded sample\""),
            std::string::npos)
      << last;
}

}  // namespace
}  // namespace fmn::test
