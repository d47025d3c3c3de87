// Golden diagnostics: `fmn-rulec check` on each tests/dsl/golden/*.fmn must print exactly
// the matching *.expected (the user-visible rendering, byte for byte).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

namespace fs = std::filesystem;

struct RulecRun {
  int status;
  std::string output;
};

// Runs fmn-rulec from the source directory, so file names print as repo-relative paths.
RulecRun rulec(const std::string& args, const std::string& redirect = "2>&1") {
  std::string cmd =
      "cd '" FMN_SOURCE_DIR "' && '" FMN_BIN_DIR "/fmn-rulec' " + args + " " + redirect;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(Golden, InvalidFilesRenderExactly) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(FMN_SOURCE_DIR "/tests/dsl/golden")) {
    if (entry.path().extension() != ".fmn") continue;
    ++files;
    std::string rel = "tests/dsl/golden/" + entry.path().filename().string();
    fs::path expected = entry.path();
    expected.replace_extension(".expected");
    RulecRun run = rulec("check " + rel, "2>&1 >/dev/null");
    EXPECT_EQ(run.output, testing::read_file(expected.string())) << rel;
    bool only_warnings = run.output.find(": error[") == std::string::npos;
    EXPECT_EQ(run.status, only_warnings ? 0 : 1) << rel;
  }
  EXPECT_GE(files, 6);
}

TEST(Golden, FiveMistakesAllReported) {
  RulecRun run = rulec("check tests/dsl/golden/five-mistakes.fmn --format=json", "2>/dev/null");
  EXPECT_EQ(run.status, 1);
  for (const char* where :
       {R"("line":4,"column":22)", R"("line":5,"column":69)", R"("line":6,"column":81)",
        R"("line":7,"column":42)", R"("line":8,"column":15)"}) {
    EXPECT_NE(run.output.find(where), std::string::npos) << where << "\n" << run.output;
  }
  for (const char* code : {"E0101", "E0014", "E0102", "E0204", "E0201"}) {
    EXPECT_NE(run.output.find(code), std::string::npos) << code;
  }
}

TEST(Golden, WarningsFailOnlyWithWerror) {
  EXPECT_EQ(rulec("check tests/dsl/golden/dead-rules.fmn").status, 0);
  EXPECT_EQ(rulec("check --werror tests/dsl/golden/dead-rules.fmn").status, 1);
  EXPECT_EQ(rulec("check --werror data/rules/fmn-defaults.fmn").status, 0);
  RulecRun json = rulec("check --format=json tests/dsl/golden/dead-rules.fmn", "2>/dev/null");
  EXPECT_EQ(json.status, 0);
  EXPECT_NE(json.output.find(R"("severity":"warning","code":"W0005")"), std::string::npos)
      << json.output;
  EXPECT_EQ(json.output.find(R"("severity":"error")"), std::string::npos) << json.output;
}

TEST(Golden, MetaCoverageListsTopicsThatFellThrough) {
  std::string path = ::testing::TempDir() + "coverage.jsonl";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  for (const char* topic :
       {"org.fedoraproject.prod.bodhi.update.comment", "org.fedoraproject.prod.newsvc.a",
        "org.fedoraproject.prod.newsvc.a", "org.fedoraproject.prod.other.b"}) {
    std::fprintf(f, "{\"topic\":\"%s\",\"msg\":{}}\n", topic);
  }
  std::fputs("not json\n", f);
  std::fclose(f);
  RulecRun run = rulec("meta --coverage '" + path + "'", "2>&1");
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.output,
            "messages: 4, handled by the fallback only: 3 (75.0%)\n"
            "topics: 3, handled by the fallback only: 2 (66.7%)\n"
            "       2  newsvc.a\n"
            "       1  other.b\n");
  // The recorded corpus is covered by the tables.
  run = rulec("meta --coverage corpus/fedmsg-real.jsonl", "2>&1");
  EXPECT_NE(run.output.find("handled by the fallback only: 0 (0.0%)"), std::string::npos)
      << run.output;
}

TEST(Golden, ValidFilesPass) {
  RulecRun run = rulec("check data/rules/fmn-defaults.fmn data/rules/fmn-classic.fmn");
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.output, "");
  EXPECT_EQ(rulec("check --format=json data/rules/fmn-defaults.fmn").output, "[]\n");
}

TEST(Golden, EvalAndExplainAnswer) {
  // corpus line 14: ralph's planet post.
  RulecRun eval = rulec(
      "eval data/rules/fmn-defaults.fmn corpus/fedmsg-real.jsonl --param me=ralph --format=json",
      "2>/dev/null | sed -n 14p");
  EXPECT_EQ(eval.output, R"({"line":14,"topic":"org.fedoraproject.prod.planet.post.new","msg_id":)"
                         R"("","matched":)"
                         R"(["Events referring to my username"]})"
                         "\n");
  RulecRun explain = rulec(
      "explain data/rules/fmn-defaults.fmn corpus/fedmsg-real.jsonl -p me=ralph -l 32 "
      "-r 'Events referring to my username'");
  EXPECT_EQ(explain.status, 0);
  EXPECT_NE(explain.output.find("rule \"Events referring to my username\": no match"),
            std::string::npos)
      << explain.output;
  EXPECT_NE(explain.output.find("usernames = [\"ralph\"]"), std::string::npos) << explain.output;
  EXPECT_EQ(rulec("eval data/rules/fmn-defaults.fmn corpus/fedmsg-real.jsonl -p mee=x").status, 1);
}

TEST(Golden, ExplainReadsAUsersPreferencesAndSaysWhatBecomesOfEachMatch) {
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + "explain-msgs.jsonl") << R"({"topic":"org.fedoraproject.prod.x.y","msg":{}})"
                                            << "\n";
  const std::string files =
      "--prefs data/prefs/explain.toml --user alice '" + dir + "explain-msgs.jsonl'";
  RulecRun explain = rulec("explain " + files);
  EXPECT_EQ(explain.status, 0) << explain.output;
  for (const char* expected :
       {"rule \"now\": match\n", "$me = \"alice\"",
        "  -> email (email alice@example.org): delivered at once\n",
        "  -> irc (irc alice): held: the destination awaits its confirmation",
        "  -> email (email alice@example.org): held for a digest, sent 1d after its first "
        "notification or once 20 are waiting\n",
        "rule \"off\": match\n  true    topic ~ \"*.x.y\"",
        "  -> nothing: the rule is disabled\n"}) {
    EXPECT_NE(explain.output.find(expected), std::string::npos) << expected << "\n"
                                                                << explain.output;
  }
  // petr, in Prague, at 23:30 local time: quiet hours, a snooze, a digest at a time of day.
  RulecRun late = rulec(
      "explain --prefs data/prefs/explain.toml --user petr --now "
      "2024-05-01T21:30:00Z '" +
      dir + "explain-msgs.jsonl'");
  EXPECT_EQ(late.status, 0) << late.output;
  for (const char* expected :
       {"  -> email (email petr@example.org): held: quiet hours until 07:00 Europe/Prague, then "
        "sent as one digest\n",
        "  -> irc (irc petr): held: snoozed until 2024-05-03 12:00 Europe/Prague, then sent as "
        "one digest\n",
        "  -> email (email petr@example.org): held: quiet hours until 07:00 Europe/Prague, then "
        "sent as one digest; held for a digest, digest due at 08:00 Europe/Prague (daily at "
        "08:00)\n"}) {
    EXPECT_NE(late.output.find(expected), std::string::npos) << expected << "\n" << late.output;
  }
  EXPECT_EQ(rulec("explain --prefs data/prefs/explain.toml --user petr --now yesterday '" + dir +
                  "explain-msgs.jsonl'")
                .status,
            1);
  RulecRun unknown =
      rulec("explain --prefs data/prefs/explain.toml --user bob '" + dir + "explain-msgs.jsonl'");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.output.find("no user \"bob\""), std::string::npos) << unknown.output;
  EXPECT_EQ(rulec("explain data/rules/fmn-defaults.fmn " + files).status, 1);
}

TEST(Golden, EvalPrintsOneLinePerMessageAndMatchingRule) {
  const std::string eval =
      "eval data/rules/fmn-classic.fmn corpus/fedmsg-real.jsonl -p me=ralph -p "
      "my_packages=kernel";
  RulecRun rule_by_rule = rulec(eval, "2>/dev/null");
  ASSERT_EQ(rule_by_rule.status, 0);
  size_t lines = 0;
  for (size_t at = 0; (at = rule_by_rule.output.find('\n', at)) != std::string::npos; ++at) {
    ++lines;
  }
  EXPECT_GT(lines, 20u);
  EXPECT_EQ(rule_by_rule.output.find("\", \""), std::string::npos) << "one rule a line";
  EXPECT_NE(rule_by_rule.output.find("corpus/fedmsg-real.jsonl:14 "
                                     "org.fedoraproject.prod.planet.post.new: \""),
            std::string::npos)
      << rule_by_rule.output;
  // The rule engine, interpreted or native, answers line for line the same.
  for (const char* engine : {" --engine=interp", " --engine=jit"}) {
    RulecRun through_engine = rulec(eval + engine, "2>/dev/null");
    EXPECT_EQ(through_engine.status, 0) << engine;
    EXPECT_EQ(through_engine.output, rule_by_rule.output) << engine;
  }
}

}  // namespace
}  // namespace fmn::dsl
