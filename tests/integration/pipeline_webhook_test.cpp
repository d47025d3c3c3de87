// fmn-pipeline opens the webhook kind from the sinks' table of kinds alone: with [webhook]
// enabled, a user's webhook destination receives its notifications from a replay, each signed
// with the destination's secret (checked by the receiver's own HMAC code).
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/pipeline_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webhook_server.h"

namespace fmn::test {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "0123456789abcdef-hook";

TEST(PipelineWebhook, AReplayReachesAUsersWebhookSignedWithItsSecret) {
  auto receiver = WebhookServer::start(kSecret);
  ASSERT_TRUE(receiver.ok()) << receiver.error().message;
  auto dir = TempDir::create("pipeline-webhook");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto prefs = dir.value() / "prefs.toml";
  ASSERT_TRUE(write_file(prefs,
                         "version = 1\n\n[[users]]\nname = \"hookuser\"\n\n"
                         "[[users.destinations]]\nkind = \"webhook\"\naddress = \"" +
                             receiver->url("/fmn") + "\"\ntoken = \"" + kSecret +
                             "\"\n\n[[users.rules]]\nname = \"bodhi\"\n"
                             "source = 'topic ~ \"*.bodhi.*\"'\n"
                             "deliver = [{ to = \"webhook\" }]\n")
                  .ok());
  const auto config = dir.value() / "fmn.toml";
  ASSERT_TRUE(write_file(config, "[source]\nreplay = \"" + kCorpusFile + "\"\n[prefs]\nfile = \"" +
                                     prefs.string() +
                                     "\"\n[webhook]\nenabled = true\n[sse]\nlisten = \"\"\n")
                  .ok());

  auto output = run_pipeline("webhook", {"--config", config.string()}, 120s);
  ASSERT_TRUE(output.ok()) << output.error().message;
  const auto summary = parse_summary(*output);
  ASSERT_TRUE(summary.has_value()) << *output;
  EXPECT_GT(summary->notifications, 0u) << *output;
  EXPECT_EQ(summary->unrouted, 0u);
  // Each POST finished before the sink's worker stopped: the receiver holds them all.
  auto got = receiver->requests();
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->size(), summary->notifications) << *output;
  for (const WebhookRequest& r : *got) {
    EXPECT_EQ(r.path, "/fmn");
    EXPECT_EQ(r.event, "notification");
    EXPECT_TRUE(r.signature_valid) << r.signature;
    EXPECT_NE(r.body.find(".bodhi."), std::string::npos) << r.body;
  }
}

}  // namespace
}  // namespace fmn::test
