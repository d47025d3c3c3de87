// Scale-out: two fmn-pipeline processes, --shard 0/2 and 1/2, and one unsharded instance all
// subscribe to one fmn-replay publisher, with a generated population of a few hundred users.
// Together the shards deliver exactly what the single instance delivers, each notification
// once, and each user's notifications come from one shard only. The single instance in turn
// delivers what a replay of the same file delivers: nothing lost on the bus.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <map>
#include <set>

#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

std::string user_of(const std::string& line) { return line.substr(0, line.find(' ')); }

std::vector<std::string> sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Stops with SIGTERM (the service drains) and expects a clean exit with a summary.
void stop_cleanly(PipelineProcess& p) {
  std::optional<int> status = p.process().stop(SIGTERM, kTimeout);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << describe_wait_status(*status) << "\n"
      << p.process().log_text();
  ASSERT_TRUE(p.summary().has_value()) << p.process().log_text();
}

TEST(PipelineShards, TwoShardsDeliverEveryNotificationOfOneInstanceExactlyOnce) {
  auto dir = TempDir::create("shards");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const std::string prefs = (*dir / "prefs.toml").string();
  Status generated =
      ChildProcess::run({.argv = {std::string(FMN_BIN_DIR) + "/fmn-prefs", "generate", "--users",
                                  "400", "--seed", "3", "--corpus", FMN_CORPUS_DIR, "-o", prefs},
                         .log = *dir / "generate.log"},
                        kTimeout);
  ASSERT_TRUE(generated.ok()) << generated.error().message;

  auto port = pick_free_port();
  ASSERT_TRUE(port.ok()) << port.error().message;
  const std::string bus = "tcp://127.0.0.1:" + std::to_string(*port);
  std::vector<PipelineProcess> pipelines;
  for (const char* shard : {"0/2", "1/2", ""}) {
    std::vector<std::string> flags = {"--connect", bus, "--prefs", prefs};
    if (*shard != '\0') flags.insert(flags.end(), {"--shard", shard});
    auto p =
        PipelineProcess::start(std::string("shard-") + (*shard ? shard[0] : 'n'), flags, kTimeout);
    ASSERT_TRUE(p.ok()) << p.error().message;
    pipelines.push_back(std::move(p).value());
  }
  auto replay = start_replay("shards-replay", bus, pipelines.size());
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  auto replayed = wait_exit(*replay, kTimeout);
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  ASSERT_EQ(WEXITSTATUS(*replayed), 0) << replay->log_text();
  for (PipelineProcess& p : pipelines) {
    auto all = p.wait_metric("fmn_messages_received_total", kCorpusMessages, kTimeout);
    ASSERT_TRUE(all.ok()) << all.error().message;
  }
  for (PipelineProcess& p : pipelines) stop_cleanly(p);

  // The same preferences over the same file, without the bus.
  auto reference =
      run_pipeline("shard-reference", {"--replay", kCorpusFile, "--prefs", prefs}, kTimeout);
  ASSERT_TRUE(reference.ok()) << reference.error().message;

  const std::vector<std::string> shard0 = pipelines[0].notifications();
  const std::vector<std::string> shard1 = pipelines[1].notifications();
  const std::vector<std::string> single = pipelines[2].notifications();
  const std::vector<std::string> expected = notification_lines(*reference);
  ASSERT_GT(expected.size(), 300u) << "a population this size gets many notifications";
  EXPECT_EQ(sorted(single), sorted(expected)) << "the bus lost or repeated nothing";

  // Shards are disjoint by user, and neither is empty.
  std::map<std::string, int> owner;
  for (int s = 0; s < 2; ++s) {
    for (const std::string& line : s == 0 ? shard0 : shard1) {
      auto [it, inserted] = owner.emplace(user_of(line), s);
      EXPECT_EQ(it->second, s) << user_of(line) << " notified by both shards";
    }
  }
  EXPECT_FALSE(shard0.empty());
  EXPECT_FALSE(shard1.empty());

  std::vector<std::string> both = shard0;
  both.insert(both.end(), shard1.begin(), shard1.end());
  EXPECT_EQ(both.size(), single.size());
  EXPECT_EQ(sorted(both), sorted(single)) << "the union of the shards is the single instance";

  for (PipelineProcess& p : pipelines) {
    std::optional<PipelineSummary> s = p.summary();
    EXPECT_EQ(s->received, kCorpusMessages);
    EXPECT_EQ(s->sequence_gaps, 0u);
    EXPECT_EQ(s->notifications, p.notifications().size());
  }
  announce_real_server("fmn-pipeline x3 on " + bus + ": shards 0/2 and 1/2 delivered " +
                       std::to_string(shard0.size()) + " + " + std::to_string(shard1.size()) +
                       " notifications, the single instance " + std::to_string(single.size()));
}

}  // namespace
}  // namespace fmn::test
