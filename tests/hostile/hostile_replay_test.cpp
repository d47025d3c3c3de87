// The real fmn-pipeline binary replays the hostile envelopes mixed into the recorded corpus:
// it must finish (the timeout catches a stall), count every rejected record as a parse error,
// keep delivering the good messages around them, and print no line a hostile message forged.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "tests/hostile/hostile_inputs.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace fmn::hostile {
namespace {

using namespace std::chrono_literals;

TEST(HostileReplay, PipelineCountsEveryBadRecordAndDeliversTheRest) {
  auto dir = test::TempDir::create("hostile-replay");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  std::filesystem::path replay = dir.value() / "replay.jsonl";
  std::ifstream corpus(std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl");
  std::ofstream out(replay, std::ios::binary);
  size_t lines = 0, bad = 0;
  std::string good;
  // Hostile records between good ones: a bad record must not take its neighbours with it.
  for (const HostileEnvelope& e : hostile_envelopes()) {
    if (e.bytes.empty()) continue;
    if (std::getline(corpus, good)) {
      out << good << '\n';
      ++lines;
    }
    out << e.bytes << '\n';
    ++lines;
    bad += e.expected_error.has_value();
  }
  out.close();
  ASSERT_GT(bad, 20u);

  test::SpawnOptions options;
  options.argv = {std::string(FMN_BIN_DIR) + "/fmn-pipeline",
                  "--replay",
                  replay.string(),
                  "--sse-listen",
                  "",
                  "--admin-listen",
                  ""};
  options.log = dir.value() / "pipeline.log";
  test::Status run = test::ChildProcess::run(options, 180s);
  std::string log = test::read_log(options.log);
  ASSERT_TRUE(run.ok()) << run.error().message;

  std::smatch summary;
  ASSERT_TRUE(std::regex_search(
      log, summary,
      std::regex(R"((\d+) messages read, (\d+) parse errors, \d+ duplicates, (\d+) )"
                 R"(notifications)")))
      << log;
  EXPECT_EQ(std::stoul(summary[1]), lines);
  EXPECT_EQ(std::stoul(summary[2]), bad);
  EXPECT_GT(std::stoul(summary[3]), 0u) << "the good messages are still delivered";
  // Notifications are printed one a line; text from a message cannot start a line of its own.
  for (const char* forged : {"\nBcc:", "\nX-Injected", "\nQUIT", "\nPRIVMSG", "\r"}) {
    EXPECT_EQ(log.find(forged), std::string::npos) << testing::PrintToString(forged);
  }
}

}  // namespace
}  // namespace fmn::hostile
