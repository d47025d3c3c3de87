// `fmn-prefs explain` against preferences stored in a real PostgreSQL: each of the user's rules
// tested against the chosen message, and for a match what would become of it.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/pipeline_process.h"
#include "tests/support/postgres_server.h"
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
  // Time-aware delivery read back from PostgreSQL: petr's zone, quiet hours, snooze and daily
  // digest time, explained as of 12:00 in Prague.
  std::string noon = run({"explain", "petr", "--msg-id", "2024-second", "--messages",
                          (*dir / "messages.jsonl").string(), "--now", "2024-05-02T10:00:00Z"},
                         "noon.log");
  for (const char* expected :
       {"  -> email (email petr@example.org): delivered at once\n",
        "  -> irc (irc petr): held: snoozed until 2024-05-03 12:00 Europe/Prague, then sent as "
        "one digest\n",
        "  -> email (email petr@example.org): held for a digest, digest due at 08:00 "
        "Europe/Prague (daily at 08:00)\n"}) {
    EXPECT_NE(noon.find(expected), std::string::npos) << expected << "\n" << noon;
  }
  std::string by_line = run(
      {"explain", "alice", "--message", (*dir / "messages.jsonl").string() + ":1"}, "by-line.log");
  EXPECT_NE(by_line.find("no rule of alice matches this message\n"), std::string::npos) << by_line;
}

}  // namespace
}  // namespace fmn::test
