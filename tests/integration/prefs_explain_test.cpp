// `fmn-prefs explain` against preferences stored in a real PostgreSQL: each of the user's rules
// tested against the chosen message, and for a match what would become of it.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/pipeline_process.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

TEST(PrefsExplain, SaysWhichStoredRulesMatchAndWhatBecomesOfEachMatch) {
  auto pg = PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;
  auto dir = TempDir::create("prefs-explain");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  std::ofstream(*dir / "messages.jsonl")
      << R"({"topic":"org.fedoraproject.prod.a.b","msg":{},"msg_id":"2024-first"})"
      << "\n"
      << R"({"topic":"org.fedoraproject.prod.x.y","msg":{},"msg_id":"2024-second"})"
      << "\n";
  const std::string prefs = std::string(FMN_BIN_DIR) + "/fmn-prefs";
  auto run = [&](std::vector<std::string> args, const std::string& log) -> std::string {
    std::vector<std::string> argv{prefs, "--db", pg->connection_string()};
    argv.insert(argv.end(), args.begin(), args.end());
    Status ran = ChildProcess::run({.argv = argv, .log = *dir / log}, kTimeout);
    EXPECT_TRUE(ran.ok()) << ran.error().message;
    return read_log(*dir / log);
  };
  run({"migrate"}, "migrate.log");
  run({"import", std::string(FMN_CORPUS_DIR) + "/prefs/explain.toml"}, "import.log");

  std::string by_id = run({"explain", "alice", "--msg-id", "2024-second", "--messages",
                           (*dir / "messages.jsonl").string()},
                          "by-id.log");
  for (const char* expected :
       {":2 org.fedoraproject.prod.x.y (msg_id 2024-second)\n", "rule \"now\": match\n",
        "  -> email (email alice@example.org): delivered at once\n",
        "  -> irc (irc alice): held: the destination awaits its confirmation",
        "rule \"later\": match\n",
        "  -> email (email alice@example.org): held for a digest, sent 1d after its first "
        "notification or once 20 are waiting\n",
        "  -> nothing: the rule is disabled\n", "rule \"builds\": no match\n"}) {
    EXPECT_NE(by_id.find(expected), std::string::npos) << expected << "\n" << by_id;
  }
  std::string by_line = run(
      {"explain", "alice", "--message", (*dir / "messages.jsonl").string() + ":1"}, "by-line.log");
  EXPECT_NE(by_line.find("no rule of alice matches this message\n"), std::string::npos) << by_line;
}

// An operator names only the msg_id: fmn-pipeline, given Redis, kept the messages it parsed in
// its recent-message store, and `explain --redis` reads the message from there.
TEST(PrefsExplain, FindsTheMessageByMsgIdInTheServicesRecentMessages) {
  auto pg = PostgresServer::start();
  ASSERT_TRUE(pg.ok()) << pg.error().message;
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  auto dir = TempDir::create("prefs-explain-recent");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  std::ofstream(*dir / "messages.jsonl")
      << R"({"topic":"org.fedoraproject.prod.a.b","msg":{},"msg_id":"2024-first"})"
      << "\n"
      << R"({"topic":"org.fedoraproject.prod.x.y","msg":{"n":1},"msg_id":"2024-second"})"
      << "\n";
  const std::string redis_address = "127.0.0.1:" + std::to_string(redis->port());
  auto ran = run_pipeline(
      "explain-recent", {"--replay", (*dir / "messages.jsonl").string(), "--redis", redis_address},
      kTimeout);
  ASSERT_TRUE(ran.ok()) << ran.error().message;

  const std::string prefs = std::string(FMN_BIN_DIR) + "/fmn-prefs";
  auto run = [&](std::vector<std::string> args, const std::string& log, bool ok = true) {
    std::vector<std::string> argv{prefs, "--db", pg->connection_string()};
    argv.insert(argv.end(), args.begin(), args.end());
    Status done = ChildProcess::run({.argv = argv, .log = *dir / log}, kTimeout);
    EXPECT_EQ(done.ok(), ok) << read_log(*dir / log);
    return read_log(*dir / log);
  };
  run({"migrate"}, "migrate.log");
  run({"import", std::string(FMN_CORPUS_DIR) + "/prefs/explain.toml"}, "import.log");
  const std::string out =
      run({"explain", "alice", "--msg-id", "2024-second", "--redis", redis_address}, "id.log");
  for (const char* expected :
       {"org.fedoraproject.prod.x.y (msg_id 2024-second)\n", "rule \"now\": match\n",
        "  -> email (email alice@example.org): delivered at once\n",
        "rule \"builds\": no match\n"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
  const std::string missing = run(
      {"explain", "alice", "--msg-id", "2024-none", "--redis", redis_address}, "none.log", false);
  EXPECT_NE(missing.find("no message with msg_id 2024-none among the recent messages"),
            std::string::npos)
      << missing;
}

}  // namespace
}  // namespace fmn::test
