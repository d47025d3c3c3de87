// `fmn-prefs explain` against preferences stored in a real PostgreSQL: each of the user's rules
// tested against the chosen message, and for a match what would become of it. `fmn-rulec
// explain` finds a message by msg_id in the service's recent messages in Redis the same way.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>

#include "tests/integration/pipeline_process.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

// A PostgreSQL holding data/prefs/explain.toml (user alice), and two messages in a JSON-lines
// file: line 1 matches none of alice's rules, line 2 (msg_id 2024-second) several.
class PrefsExplain : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pg = PostgresServer::start();
    ASSERT_TRUE(pg.ok()) << pg.error().message;
    pg_.emplace(std::move(pg).value());
    auto dir = TempDir::create("prefs-explain");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    dir_.emplace(std::move(dir).value());
    messages_ = (*dir_ / "messages.jsonl").string();
    std::ofstream(messages_)
        << R"({"topic":"org.fedoraproject.prod.a.b","msg":{},"msg_id":"2024-first"})"
        << "\n"
        << R"({"topic":"org.fedoraproject.prod.x.y","msg":{},"msg_id":"2024-second"})"
        << "\n";
    run({"migrate"}, "migrate.log");
    run({"import", std::string(FMN_DATA_DIR) + "/prefs/explain.toml"}, "import.log");
  }

  // fmn-prefs on the database with `args`: what it printed (kept in `log`). `ok`: whether it
  // is expected to succeed.
  std::string run(std::vector<std::string> args, const std::string& log, bool ok = true) {
    std::vector<std::string> argv{std::string(FMN_BIN_DIR) + "/fmn-prefs", "--db",
                                  pg_->connection_string()};
    argv.insert(argv.end(), args.begin(), args.end());
    Status ran = ChildProcess::run({.argv = argv, .log = *dir_ / log}, kTimeout);
    EXPECT_EQ(ran.ok(), ok) << read_log(*dir_ / log);
    return read_log(*dir_ / log);
  }

  // fmn-rulec with `args`: what it printed (kept in `log`).
  std::string rulec(std::vector<std::string> args, const std::string& log, bool ok = true) {
    args.insert(args.begin(), std::string(FMN_BIN_DIR) + "/fmn-rulec");
    Status ran = ChildProcess::run({.argv = args, .log = *dir_ / log}, kTimeout);
    EXPECT_EQ(ran.ok(), ok) << read_log(*dir_ / log);
    return read_log(*dir_ / log);
  }

  std::optional<PostgresServer> pg_;
  std::optional<TempDir> dir_;
  std::string messages_;
};

TEST_F(PrefsExplain, SaysWhichStoredRulesMatchAndWhatBecomesOfEachMatch) {
  std::string by_id =
      run({"explain", "alice", "--msg-id", "2024-second", "--messages", messages_}, "by-id.log");
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
  std::string noon = run({"explain", "petr", "--msg-id", "2024-second", "--messages", messages_,
                          "--now", "2024-05-02T10:00:00Z"},
                         "noon.log");
  for (const char* expected :
       {"  -> email (email petr@example.org): delivered at once\n",
        "  -> irc (irc petr): held: snoozed until 2024-05-03 12:00 Europe/Prague, then sent as "
        "one digest\n",
        "  -> email (email petr@example.org): held for a digest, digest due at 08:00 "
        "Europe/Prague (daily at 08:00)\n"}) {
    EXPECT_NE(noon.find(expected), std::string::npos) << expected << "\n" << noon;
  }
  std::string by_line = run({"explain", "alice", "--message", messages_ + ":1"}, "by-line.log");
  EXPECT_NE(by_line.find("no rule of alice matches this message\n"), std::string::npos) << by_line;
}

// `fmn-prefs mute`, stored in PostgreSQL: the same options as `snooze`; explain says what the
// mute does while it lasts, and the snooze it wins over shows again once it ends or is lifted.
TEST_F(PrefsExplain, MuteIsSetExplainedAndLiftedLikeASnooze) {
  auto explain_at = [&](const char* now, const std::string& log) {
    return run(
        {"explain", "petr", "--msg-id", "2024-second", "--messages", messages_, "--now", now}, log);
  };
  EXPECT_EQ(run({"mute", "petr", "--dest", "irc", "--until", "2024-05-02T18:00:00Z"}, "dest.log"),
            "petr's irc muted until 2024-05-02T18:00:00Z: notifications are dropped, never sent\n");
  std::string noon = explain_at("2024-05-02T10:00:00Z", "muted.log");
  EXPECT_NE(noon.find("  -> irc (irc petr): not delivered: muted until 20:00 Europe/Prague "
                      "(dropped, never sent)\n"),
            std::string::npos)
      << noon;
  EXPECT_NE(noon.find("  -> email (email petr@example.org): delivered at once\n"),
            std::string::npos)
      << noon;
  // After the mute's end, the destination's snooze (until 2024-05-03T10:00Z) holds it again.
  std::string evening = explain_at("2024-05-02T18:00:00Z", "over.log");
  EXPECT_NE(evening.find("  -> irc (irc petr): held: snoozed until 12:00 Europe/Prague"),
            std::string::npos)
      << evening;

  // The whole user, for a duration from now: stored as an instant.
  EXPECT_NE(run({"mute", "petr", "--for", "8h"}, "for.log").find("petr muted until "),
            std::string::npos);
  const std::string exported = run({"export"}, "export.log");
  EXPECT_NE(exported.find("tz = \"Europe/Prague\"\nmuted_until = "), std::string::npos) << exported;
  EXPECT_EQ(run({"mute", "petr", "--off"}, "off.log"), "petr is no longer muted\n");
  EXPECT_EQ(run({"mute", "petr", "--dest", "irc", "--off"}, "dest-off.log"),
            "petr's irc is no longer muted\n");
  EXPECT_EQ(run({"export"}, "unmuted.log").find("muted_until"), std::string::npos);

  // Refusals, each saying what to write.
  EXPECT_NE(run({"mute", "petr", "--for", "2h", "--off"}, "both.log", false)
                .find("say how long: --for DURATION, --until TIME or --off (one of them)"),
            std::string::npos);
  EXPECT_NE(run({"mute", "petr", "--for", "soon"}, "soon.log", false)
                .find("--for: expected a duration such as 2h, 1d or 30m"),
            std::string::npos);
  EXPECT_NE(run({"mute", "petr", "--dest", "pager", "--for", "2h"}, "pager.log", false)
                .find("petr has no destination \"pager\""),
            std::string::npos);
  EXPECT_NE(run({"mute", "nobody", "--for", "2h"}, "nobody.log", false).find("nobody"),
            std::string::npos);
}

// The named lists an operator manages with `fmn-prefs list`, stored in PostgreSQL: a rule may
// only read a list its user has, and a list a rule reads cannot be removed.
TEST_F(PrefsExplain, NamedListsAreSetShownAndGuardedByTheRulesReadingThem) {
  EXPECT_EQ(run({"list", "set", "alice", "friends", "kevin", "pingou"}, "set.log"),
            "list friends of alice: 2 entries\n");
  EXPECT_EQ(run({"list", "show", "alice"}, "show.log"), "friends: kevin pingou\n");
  const std::string typo = run(
      {"rule", "add", "alice", "f", "agent in $lists.frends", "--to", "email"}, "typo.log", false);
  EXPECT_NE(typo.find("rule:1:10-22: error[E0110]: you have no list named `frends`"),
            std::string::npos)
      << typo;
  EXPECT_NE(typo.find("did you mean `$lists.friends`?"), std::string::npos) << typo;
  run({"rule", "add", "alice", "f", "agent in $lists.friends", "--to", "email"}, "rule.log");
  const std::string used = run({"list", "remove", "alice", "friends"}, "remove.log", false);
  EXPECT_NE(used.find("E0110"), std::string::npos) << used;
  const std::string exported = run({"export"}, "export.log");
  EXPECT_NE(exported.find("[users.lists]\nfriends = [\"kevin\", \"pingou\"]\n"), std::string::npos)
      << exported;
  run({"rule", "remove", "alice", "f"}, "unrule.log");
  EXPECT_EQ(run({"list", "remove", "alice", "friends"}, "removed.log"),
            "removed list friends of alice\n");
  EXPECT_EQ(run({"list", "show", "alice"}, "none.log"), "(no output)");  // read_log's word

  // A list a rule reads as patterns: an edit that makes an entry no pattern is refused.
  run({"list", "set", "alice", "praise", "(?i)works for me"}, "praise.log");
  run({"rule", "add", "alice", "p", "msg.comment.text matches $lists.praise", "--to", "email"},
      "praise-rule.log");
  const std::string broken =
      run({"list", "set", "alice", "praise", "(?i)works for me", "^lgtm("}, "broken.log", false);
  EXPECT_NE(broken.find("error[E0204]"), std::string::npos) << broken;
  EXPECT_NE(broken.find("`$lists.praise` entry 2 \"^lgtm(\": invalid regular expression"),
            std::string::npos)
      << broken;
  EXPECT_EQ(run({"list", "show", "alice"}, "kept.log"), "praise: (?i)works for me\n");
}

// An operator names only the msg_id: fmn-pipeline, given Redis, kept the messages it parsed in
// its recent-message store, and `explain --redis` reads the message from there.
TEST_F(PrefsExplain, FindsTheMessageByMsgIdInTheServicesRecentMessages) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  const std::string redis_address = "127.0.0.1:" + std::to_string(redis->port());
  auto ran =
      run_pipeline("explain-recent", {"--replay", messages_, "--redis", redis_address}, kTimeout);
  ASSERT_TRUE(ran.ok()) << ran.error().message;

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

  // The rule author's tool reads the same store, for rules from a preferences file...
  const std::string prefs = std::string(FMN_DATA_DIR) + "/prefs/explain.toml";
  const std::string by_rulec = rulec({"explain", "--prefs", prefs, "--user", "alice", "--msg-id",
                                      "2024-second", "--redis", redis_address},
                                     "rulec-id.log");
  for (const char* expected :
       {"recent messages in 127.0.0.1:", ", msg_id 2024-second: org.fedoraproject.prod.x.y\n",
        "rule \"now\": match\n", "  -> email (email alice@example.org): delivered at once\n",
        "rule \"builds\": no match\n"}) {
    EXPECT_NE(by_rulec.find(expected), std::string::npos) << expected << "\n" << by_rulec;
  }
  // ...or from a rule file, its parameters given.
  const auto rules = *dir_ / "rules.fmn";
  std::ofstream(rules) << "rule \"xy\" = topic ~ \"*.x.y\" and agent != $me\n";
  const std::string by_file = rulec({"explain", rules.string(), "-p", "me=alice", "--msg-id",
                                     "2024-second", "--redis", redis_address},
                                    "rulec-file.log");
  EXPECT_NE(by_file.find("rule \"xy\": match\n"), std::string::npos) << by_file;
  const std::string unknown =
      rulec({"explain", rules.string(), "--msg-id", "2024-none", "--redis", redis_address},
            "rulec-none.log", false);
  EXPECT_NE(unknown.find("no message with msg_id 2024-none among the recent messages"),
            std::string::npos)
      << unknown;
}

}  // namespace
}  // namespace fmn::test
