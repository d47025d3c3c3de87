// An SSE feed added in the web app of a running fmn-pipeline: its token, shown once, opens the
// feed at the real SSE server; after a rotation the old token is refused and the new one works;
// the preferences file never holds either token. The same for a feed added with `fmn-prefs dest
// add`, beside a feed whose token an older tool stored as itself.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "tests/integration/pipeline_process.h"
#include "tests/support/loopback.h"
#include "tests/support/raw_http_client.h"
#include "tests/support/temp_dir.h"
#include "tests/web/http_test_client.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

// The status the SSE server answers a request for `feed` with `token`.
int feed_status(int port, const std::string& feed, const std::string& token) {
  Client client(port, get("/feeds/" + feed + "?token=" + token));
  const std::string& received = client.read_until("\r\n\r\n");
  return received.size() > 12 ? std::atoi(received.substr(9, 3).c_str()) : 0;
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PipelineSseFeed, AFeedAddedInTheAppOpensWithItsTokenUntilTheTokenIsRotated) {
  auto dir = TempDir::create("pipeline-sse-feed");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto prefs = dir.value() / "prefs.toml";
  ASSERT_TRUE(write_file(prefs, "version = 1\n[[users]]\nname = \"alice\"\n").ok());
  auto bus = pick_free_port();
  auto web = pick_free_port();
  auto sse = pick_free_port();
  ASSERT_TRUE(bus.ok() && web.ok() && sse.ok());
  const std::string app = "http://127.0.0.1:" + std::to_string(*web);
  auto p = PipelineProcess::start(
      "sse-feed",
      {"--connect", "tcp://127.0.0.1:" + std::to_string(*bus), "--prefs", prefs.string(),
       "--web-demo", "--web-listen", "127.0.0.1:" + std::to_string(*web), "--public-url", app,
       "--sse-listen", "127.0.0.1:" + std::to_string(*sse)},
      kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;

  const SignedIn alice = demo_sign_in(app, "alice");
  ASSERT_FALSE(alice.csrf.empty());
  const HttpReply added = http_request("POST", app + "/api/v1/destinations",
                                       {alice.cookie, alice.csrf, "Content-Type: application/json"},
                                       R"({"name":"live","kind":"sse"})");
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string feed = json_string_member(added.body, "address");
  const std::string first = json_string_member(added.body, "token");
  ASSERT_FALSE(feed.empty() || first.empty()) << added.body;

  // The pipeline follows the file: the feed opens once it has read the change.
  EXPECT_TRUE(wait_for([&] { return feed_status(*sse, feed, first) == 200; })) << p->output();
  EXPECT_EQ(feed_status(*sse, feed, "not-the-token"), 401);

  const HttpReply rotated =
      http_request("POST", app + "/api/v1/destinations/live/rotate", {alice.cookie, alice.csrf});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string second = json_string_member(rotated.body, "token");
  ASSERT_FALSE(second.empty());
  EXPECT_TRUE(wait_for([&] { return feed_status(*sse, feed, first) == 401; }))
      << "the old token still opens the feed";
  EXPECT_EQ(feed_status(*sse, feed, second), 200);

  const std::string stored = file_text(prefs);
  EXPECT_NE(stored.find(feed), std::string::npos) << stored;
  EXPECT_EQ(stored.find(first), std::string::npos) << "a token is stored as itself";
  EXPECT_EQ(stored.find(second), std::string::npos) << "a token is stored as itself";
  std::optional<int> exit = p->process().stop(SIGTERM, kTimeout);
  EXPECT_TRUE(exit.has_value());
}

// The line of `output` that starts with `prefix`, without it ("" when none).
std::string line_after(const std::string& output, const std::string& prefix) {
  const size_t at = output.find(prefix);
  if (at == std::string::npos) return "";
  const size_t from = at + prefix.size();
  return output.substr(from, output.find('\n', from) - from);
}

TEST(PipelineSseFeed, AFeedAddedWithFmnPrefsOpensWithThePrintedTokenAndOldRawTokensStillWork) {
  auto dir = TempDir::create("pipeline-sse-prefs");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto prefs = dir.value() / "prefs.toml";
  // bob's feed was written with its token as itself, as tools did before digests were kept.
  ASSERT_TRUE(write_file(prefs,
                         "version = 1\n[[users]]\nname = \"alice\"\n[[users]]\nname = \"bob\"\n"
                         "[[users.destinations]]\nname = \"old\"\nkind = \"sse\"\n"
                         "address = \"bob-old-feed\"\ntoken = \"raw-token-of-bob-0123\"\n")
                  .ok());
  const std::string log = (dir.value() / "dest-add.log").string();
  Status added =
      ChildProcess::run({.argv = {std::string(FMN_BIN_DIR) + "/fmn-prefs", "--file", prefs.string(),
                                  "dest", "add", "alice", "sse", "alice-cli-feed", "--name", "cli"},
                         .log = log},
                        kTimeout);
  ASSERT_TRUE(added.ok()) << read_log(log);
  const std::string token = line_after(read_log(log), "token of cli (alice-cli-feed): ");
  ASSERT_FALSE(token.empty()) << read_log(log);
  EXPECT_NE(read_log(log).find("the store keeps only its digest"), std::string::npos);
  const std::string stored = file_text(prefs);
  EXPECT_EQ(stored.find(token), std::string::npos) << "a token is stored as itself";
  EXPECT_NE(stored.find("sha256-"), std::string::npos) << stored;

  auto bus = pick_free_port();
  auto sse = pick_free_port();
  ASSERT_TRUE(bus.ok() && sse.ok());
  auto p =
      PipelineProcess::start("sse-prefs",
                             {"--connect", "tcp://127.0.0.1:" + std::to_string(*bus), "--prefs",
                              prefs.string(), "--sse-listen", "127.0.0.1:" + std::to_string(*sse)},
                             kTimeout);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(feed_status(*sse, "alice-cli-feed", token), 200) << p->output();
  EXPECT_EQ(feed_status(*sse, "alice-cli-feed", "not-the-token"), 401);
  EXPECT_EQ(feed_status(*sse, "bob-old-feed", "raw-token-of-bob-0123"), 200) << p->output();
  EXPECT_EQ(feed_status(*sse, "bob-old-feed", token), 401);
  std::optional<int> exit = p->process().stop(SIGTERM, kTimeout);
  EXPECT_TRUE(exit.has_value());
}

}  // namespace
}  // namespace fmn::test
