// Previews through a running fmn-pipeline: the messages it took from the bus are recorded in
// its recent-message store, and the web app's preview runs a signed-in user's rule over them.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/temp_dir.h"
#include "tests/web/http_test_client.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

TEST(PipelinePreview, RunsARuleOverTheMessagesTheServiceTookFromTheBus) {
  auto dir = TempDir::create("pipeline-preview");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto prefs = dir.value() / "prefs.toml";
  std::filesystem::copy_file(std::string(FMN_DATA_DIR) + "/prefs/default.toml", prefs);
  auto bus = pick_free_port();
  auto web = pick_free_port();
  ASSERT_TRUE(bus.ok() && web.ok());
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(*bus);
  const std::string app = "http://127.0.0.1:" + std::to_string(*web);
  auto p = PipelineProcess::start(
      "preview",
      {"--connect", endpoint, "--prefs", prefs.string(), "--web-demo", "--web-listen",
       "127.0.0.1:" + std::to_string(*web), "--public-url", app},
      kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;
  auto replay = start_replay("preview-replay", endpoint, 1);
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  ASSERT_TRUE(p->wait_metric("fmn_recent_recorded_total", kCorpusMessages, kTimeout).ok())
      << p->output();
  EXPECT_EQ(p->metric("fmn_recent_messages"), static_cast<double>(kCorpusMessages));

  const SignedIn ralph = demo_sign_in(app, "ralph");
  ASSERT_FALSE(ralph.csrf.empty());
  const HttpReply preview = http_request(
      "POST", app + "/api/v1/preview", {ralph.cookie, ralph.csrf, "Content-Type: application/json"},
      R"({"source":"topic ~ \"*.buildsys.build.state.change\"","limit":500})");
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_NE(preview.body.find("\"scanned\":" + std::to_string(kCorpusMessages) + ","),
            std::string::npos)
      << preview.body;
  // Every listed message is one the rule matches, and "matched" counts them all.
  size_t listed = 0;
  for (size_t at = preview.body.find("\"topic\":\""); at != std::string::npos;
       at = preview.body.find("\"topic\":\"", at + 1)) {
    ++listed;
    const size_t start = at + 9;
    EXPECT_TRUE(preview.body.substr(start, preview.body.find('"', start) - start)
                    .ends_with(".buildsys.build.state.change"));
  }
  EXPECT_GT(listed, 0u);
  EXPECT_NE(preview.body.find("\"matched\":" + std::to_string(listed) + ","), std::string::npos)
      << preview.body;
  std::optional<int> exit = p->process().stop(SIGTERM, kTimeout);
  EXPECT_TRUE(exit.has_value());
}

}  // namespace
}  // namespace fmn::test
