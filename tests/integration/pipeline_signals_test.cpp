// Signals on the real fmn-pipeline: SIGHUP reloads the preferences file while the bus keeps
// flowing (messages after the reload follow the new rules, those before it the old ones), a
// changed preferences file is followed without a signal, and
// SIGTERM in the middle of a paced replay stops promptly, drains what is in flight and prints
// every notification it counted before its summary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/envelope_parser.h"
#include "prefs/file_store.h"
#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

// One user with one rule, `name`, notified by email of topics matching `glob`.
std::string one_rule_prefs(const std::string& name, const std::string& glob) {
  return "version = 1\n[[users]]\nname = \"alice\"\n"
         "[[users.destinations]]\nkind = \"email\"\naddress = \"alice@example.org\"\n"
         "[[users.rules]]\nname = \"" +
         name + "\"\nsource = 'topic ~ \"" + glob + "\"'\ndeliver = [{ to = \"email\" }]\n";
}

// Messages of the corpus whose topic contains `part`.
size_t corpus_topics_with(const std::string& part) {
  std::ifstream in(kCorpusFile);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    auto m = parse_envelope(line);
    if (m && m.value()->topic.find(part) != std::string::npos) ++n;
  }
  return n;
}

Status replay_once(const std::string& name, const std::string& bus) {
  auto replay = start_replay(name, bus, 1);
  if (!replay) return replay.error();
  auto status = wait_exit(*replay, kTimeout);
  if (!status) return status.error();
  if (WEXITSTATUS(*status) != 0) return Error{ErrorCode::kIo, replay->log_text()};
  return ok_status();
}

// fmn-pipeline on a bus of its own, its preferences a file in a directory of its own that
// starts with one rule, "updates", for bodhi topics.
struct OnPrefsFile {
  TempDir dir;
  std::string prefs, bus;
  PipelineProcess process;
};

Result<OnPrefsFile> start_on_prefs_file(const std::string& name) {
  auto dir = TempDir::create(name);
  if (!dir) return dir.error();
  std::string prefs = (*dir / "prefs.toml").string();
  if (auto ok = prefs::write_file_atomically(prefs, one_rule_prefs("updates", "*.bodhi.*")); !ok) {
    return ok.error();
  }
  auto port = pick_free_port();
  if (!port) return port.error();
  std::string bus = "tcp://127.0.0.1:" + std::to_string(*port);
  auto p = PipelineProcess::start(name, {"--connect", bus, "--prefs", prefs}, kTimeout);
  if (!p) return p.error();
  return OnPrefsFile{std::move(dir).value(), prefs, bus, std::move(p).value()};
}

TEST(PipelineSignals, SighupReloadsPreferencesAndLaterMessagesFollowTheNewRules) {
  auto started = start_on_prefs_file("sighup");
  ASSERT_TRUE(started.ok()) << started.error().message;
  const std::string& prefs = started->prefs;
  const std::string& bus = started->bus;
  PipelineProcess* p = &started->process;
  Status first = replay_once("sighup-replay-1", bus);
  ASSERT_TRUE(first.ok()) << first.error().message;
  Status all = p->wait_metric("fmn_messages_received_total", kCorpusMessages, kTimeout);
  ASSERT_TRUE(all.ok()) << all.error().message;

  std::optional<double> generation = p->metric("fmn_rule_generation");
  ASSERT_TRUE(generation.has_value());
  ASSERT_TRUE(prefs::write_file_atomically(prefs, one_rule_prefs("builds", "*.buildsys.*")).ok());
  ASSERT_EQ(::kill(p->process().pid(), SIGHUP), 0);
  Status reloaded = p->wait_metric("fmn_rule_generation", *generation + 1, kTimeout);
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;

  Status second = replay_once("sighup-replay-2", bus);
  ASSERT_TRUE(second.ok()) << second.error().message;
  all = p->wait_metric("fmn_messages_received_total", 2 * kCorpusMessages, kTimeout);
  ASSERT_TRUE(all.ok()) << all.error().message;
  std::optional<int> status = p->process().stop(SIGTERM, kTimeout);
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << p->output();

  const size_t bodhi = corpus_topics_with(".bodhi."), builds = corpus_topics_with(".buildsys.");
  ASSERT_GT(bodhi, 0u);
  ASSERT_GT(builds, 0u);
  std::vector<std::string> lines = p->notifications();
  ASSERT_EQ(lines.size(), bodhi + builds) << p->output();
  for (size_t i = 0; i < lines.size(); ++i) {
    // The first replay's messages went through the old rule, the second's through the new one.
    const char* rule = i < bodhi ? "<- [updates] " : "<- [builds] ";
    EXPECT_NE(lines[i].find(rule), std::string::npos) << i << ": " << lines[i];
  }
  std::string output = p->output();
  EXPECT_NE(output.find("preferences_loaded"), output.rfind("preferences_loaded"))
      << "loaded at start-up and on SIGHUP";
}

TEST(PipelineSignals, AChangedPreferencesFileIsFollowedWithoutASignal) {
  auto started = start_on_prefs_file("follow");
  ASSERT_TRUE(started.ok()) << started.error().message;
  const std::string& prefs = started->prefs;
  const std::string& bus = started->bus;
  PipelineProcess* p = &started->process;

  std::optional<double> generation = p->metric("fmn_rule_generation");
  ASSERT_TRUE(generation.has_value());
  ASSERT_TRUE(prefs::write_file_atomically(prefs, one_rule_prefs("builds", "*.buildsys.*")).ok());
  Status followed = p->wait_metric("fmn_rule_generation", *generation + 1, kTimeout);
  ASSERT_TRUE(followed.ok()) << followed.error().message;

  Status replayed = replay_once("follow-replay", bus);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  Status all = p->wait_metric("fmn_messages_received_total", kCorpusMessages, kTimeout);
  ASSERT_TRUE(all.ok()) << all.error().message;
  std::optional<int> status = p->process().stop(SIGTERM, kTimeout);
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << p->output();
  std::vector<std::string> lines = p->notifications();
  ASSERT_EQ(lines.size(), corpus_topics_with(".buildsys.")) << p->output();
  for (const std::string& line : lines) EXPECT_NE(line.find("<- [builds] "), std::string::npos);
  EXPECT_NE(p->output().find("preferences_changed"), std::string::npos) << p->output();
}

TEST(PipelineSignals, AReloadOfABrokenFileKeepsTheRulesRunning) {
  auto started = start_on_prefs_file("sighup-broken");
  ASSERT_TRUE(started.ok()) << started.error().message;
  const std::string& prefs = started->prefs;
  const std::string& bus = started->bus;
  PipelineProcess* p = &started->process;

  ASSERT_TRUE(prefs::write_file_atomically(prefs, "version = 1\n[[users]\n").ok());
  ASSERT_EQ(::kill(p->process().pid(), SIGHUP), 0);
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (p->output().find("reload_failed") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(p->output().find("reload_failed"), std::string::npos) << p->output();

  Status replayed = replay_once("sighup-broken-replay", bus);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  Status all = p->wait_metric("fmn_messages_received_total", kCorpusMessages, kTimeout);
  ASSERT_TRUE(all.ok()) << all.error().message;
  std::optional<int> status = p->process().stop(SIGTERM, kTimeout);
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << p->output();
  EXPECT_EQ(p->notifications().size(), corpus_topics_with(".bodhi."));
}

TEST(PipelineSignals, SigtermDuringAPacedReplayDrainsAndPrintsEverything) {
  auto dir = TempDir::create("sigterm");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const std::string prefs = (*dir / "prefs.toml").string();
  Status generated =
      ChildProcess::run({.argv = {std::string(FMN_BIN_DIR) + "/fmn-prefs", "generate", "--users",
                                  "300", "--corpus", FMN_CORPUS_DIR, "-o", prefs},
                         .log = *dir / "generate.log"},
                        kTimeout);
  ASSERT_TRUE(generated.ok()) << generated.error().message;

  // 380 messages at 40 a second: about ten seconds unless stopped.
  auto p = PipelineProcess::start(
      "sigterm", {"--replay", kCorpusFile, "--replay-rate", "40", "--prefs", prefs}, kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;
  Status some = p->wait_metric("fmn_messages_received_total", 40, kTimeout);
  ASSERT_TRUE(some.ok()) << some.error().message;
  ASSERT_EQ(::kill(p->process().pid(), SIGTERM), 0);
  auto exited = wait_exit(p->process(), kTimeout);
  ASSERT_TRUE(exited.ok()) << exited.error().message;
  EXPECT_EQ(WEXITSTATUS(*exited), 0) << p->output();

  std::optional<PipelineSummary> summary = p->summary();
  ASSERT_TRUE(summary.has_value()) << p->output();
  EXPECT_GE(summary->received, 40u);
  EXPECT_LT(summary->received, kCorpusMessages) << "stopped before the end of the replay";
  EXPECT_GT(summary->notifications, 0u);
  EXPECT_EQ(summary->unrouted, 0u);
  EXPECT_EQ(p->notifications().size(), summary->notifications) << "every notification printed";
  // The summary is the last thing printed.
  std::string output = p->output();
  std::string last = output.substr(output.rfind('\n', output.size() - 2) + 1);
  EXPECT_EQ(last.rfind("fmn-pipeline: ", 0), 0u) << last;
}

TEST(PipelineSignals, ALongReplayLogsProgress) {
  // 380 messages at 200 a second, a progress line every 0.4 s: a few lines.
  auto output = run_pipeline("progress",
                             {"--replay", kCorpusFile, "--replay-rate", "200", "--progress", "0.4",
                              "--no-stdout", "--log-format", "json"},
                             kTimeout);
  ASSERT_TRUE(output.ok()) << output.error().message;
  const std::regex progress(
      R"(\{"ts":"[^"]+","level":"info","event":"progress","messages":([0-9]+),"rate_per_s":[0-9.e+]+,)"
      R"("notifications":[0-9]+,"parse_errors":0\})");
  std::istringstream lines(*output);
  std::vector<uint64_t> counts;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, progress)) counts.push_back(std::stoull(m[1].str()));
  }
  ASSERT_GE(counts.size(), 2u) << *output;
  EXPECT_TRUE(std::is_sorted(counts.begin(), counts.end())) << *output;
  EXPECT_LE(counts.back(), kCorpusMessages);
}

}  // namespace
}  // namespace fmn::test
