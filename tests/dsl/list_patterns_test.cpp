// Patterns from a user's named list: `topic ~ $lists.NAME`, `~*`, `matches $lists.NAME`.
// Spelling and printing, meaning (any entry may match), compiled once per list, checked entry by
// entry against the user's lists, and bounded on hostile lists.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dsl/interpreter.h"
#include "dsl/limits.h"
#include "dsl/rule_compiler.h"
#include "dsl/user_list_checks.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

TEST(ListPatternSyntax, OnlyANamedListMayHoldPatterns) {
  for (const char* ok : {"topic ~ $lists.watched", "topic ~* $lists.watched",
                         "msg.comment.text matches $lists.mentions",
                         "any usernames ~ $lists.watched", "not packages matches $lists.x"}) {
    EXPECT_EQ(testing::codes(std::string("rule \"r\" = ") + ok), std::vector<std::string>{}) << ok;
  }
  for (const char* bad : {"topic ~ $me", "topic ~ $my_packages", "agent matches $followed_users",
                          "topic ~ msg.pattern", "agent matches [\"a\", \"b\"]"}) {
    EXPECT_EQ(testing::codes(std::string("rule \"r\" = ") + bad), std::vector<std::string>{"E0203"})
        << bad;
  }
}

TEST(ListPatternSyntax, TheListBelongsToTheCanonicalTextNotTheShape) {
  RuleSet rules = testing::compile_ok(
      "rule \"a\" = topic ~ $lists.watched and agent matches $lists.bots\n"
      "rule \"b\" = topic ~ $lists.other and agent matches $lists.bots\n");
  ASSERT_EQ(rules.rules.size(), 2u);
  EXPECT_EQ(rules.rules[0].canonical, "topic ~ $lists.watched and agent matches $lists.bots");
  EXPECT_EQ(rules.rules[0].shape, "topic ~ $lists.#0 and agent matches $lists.#1");
  EXPECT_EQ(rules.rules[0].shape, rules.rules[1].shape);
  testing::expect_round_trips("patterns", "rule \"r\" = topic ~* $lists.watched\n");
}

class ListPatternSemantics : public ::testing::Test {
 protected:
  void SetUp() override {
    msg_ = testing::message(
        R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":"2024-x","i":3,)"
        R"("timestamp":1700000000,"msg":{"comment":{"text":"Ping @Ralph: Łódź ✓"},"n":3}})");
    msg_->meta.usernames = {"kevin", "ralph"};
    params_ = testing::params("ralph");
    params_.lists = {{"watched", {"*.copr.build.end", "*.bodhi.update.*"}},
                     {"loud", {"*.BODHI.*"}},
                     {"mentions", {"@ralph\\b", "(?i)@RALPH"}},
                     {"unicode", {"*Łódź ?", "ódź"}},
                     {"broken", {"kernel-(5|6", "@Ralph"}},
                     {"empty", {}}};
    params_.normalize();
  }

  bool eval(const std::string& test) { return testing::evaluates(test, *msg_, params_); }

  std::unique_ptr<Message> msg_;
  UserParams params_;
};

TEST_F(ListPatternSemantics, AnyEntryMayMatch) {
  EXPECT_TRUE(eval("topic ~ $lists.watched"));
  EXPECT_FALSE(eval("topic ~ $lists.loud"));  // case matters for `~`
  EXPECT_TRUE(eval("topic ~* $lists.loud"));
  EXPECT_TRUE(eval("msg.comment.text matches $lists.mentions"));  // only the (?i) one
  EXPECT_TRUE(eval("any usernames ~ $lists.watched") == false);
  EXPECT_TRUE(eval("msg.comment.text ~ $lists.unicode"));  // `?` is one code point: ✓
  EXPECT_TRUE(eval("msg.comment.text matches $lists.unicode"));
}

TEST_F(ListPatternSemantics, AnEmptyOrMissingListMatchesNothing) {
  for (const char* name : {"empty", "missing"}) {
    std::string list = std::string("$lists.") + name;
    EXPECT_FALSE(eval("topic ~ " + list)) << name;
    EXPECT_FALSE(eval("topic ~* " + list)) << name;
    EXPECT_FALSE(eval("msg.comment.text matches " + list)) << name;
    EXPECT_TRUE(eval("not topic ~ " + list)) << name;
    EXPECT_FALSE(eval("msg.nothing matches " + list)) << name;
  }
}

TEST_F(ListPatternSemantics, AnEntryThatIsNoPatternMatchesNothingButTheOthersStillDo) {
  // A store written around the validation may hold one; the rest of the list still counts.
  EXPECT_TRUE(eval("msg.comment.text matches $lists.broken"));
  EXPECT_EQ(params_.view().user_list_regexes("broken").size(), 1u);
}

TEST_F(ListPatternSemantics, EachListIsCompiledOncePerKind) {
  const auto& regexes = params_.view().user_list_regexes("mentions");
  const auto& globs = params_.view().user_list_globs("watched", false);
  ASSERT_EQ(regexes.size(), 2u);
  const void* first = regexes[0].get();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(eval("msg.comment.text matches $lists.mentions"));
  EXPECT_EQ(&params_.view().user_list_regexes("mentions"), &regexes);
  EXPECT_EQ(params_.view().user_list_regexes("mentions")[0].get(), first);
  EXPECT_EQ(&params_.view().user_list_globs("watched", false), &globs);
  UserParams copy = params_;  // copies share what is compiled
  EXPECT_EQ(copy.view().user_list_regexes("mentions")[0].get(), first);
  copy.normalize();  // ... until their lists may have changed
  EXPECT_NE(copy.view().user_list_regexes("mentions")[0].get(), first);
}

// The save-time checks of a stored rule against the user's lists.
class ListPatternChecks : public ::testing::Test {
 protected:
  std::vector<Diagnostic> check(const std::string& text, std::string_view name,
                                const std::vector<std::string>& items) {
    items_ = items;
    std::vector<ListEntries> lists{{name, &items_}};
    std::shared_ptr<const StoredRuleResult> result = compiler_.compile(text);
    EXPECT_TRUE(result->rule) << result->errors;
    return list_diagnostics(result->lists, lists);
  }

  RuleCompiler compiler_;
  std::vector<std::string> items_;
};

TEST_F(ListPatternChecks, AnInvalidRegexNamesTheListAndTheEntry) {
  std::vector<Diagnostic> d =
      check("msg.comment.text matches $lists.mentions", "mentions", {"@ralph", "kernel-(5|6"});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "E0204");
  EXPECT_EQ(d[0].severity, Severity::kError);
  EXPECT_EQ(d[0].span, (TextSpan{1, 26, 1, 40}));
  EXPECT_EQ(d[0].message,
            "`$lists.mentions` entry 2 \"kernel-(5|6\": invalid regular expression: missing ): "
            "kernel-(5|6");
  // Read as plain strings, the same entries are fine.
  EXPECT_TRUE(check("msg.comment.text in $lists.mentions", "mentions", {"kernel-(5|6"}).empty());
  // RE2 has no backreferences: refused when saved, not met at match time.
  EXPECT_EQ(check("agent matches $lists.m", "m", {"(a)\\1"})[0].code, "E0204");
}

TEST_F(ListPatternChecks, GlobsAreCheckedAsLiteralsAre) {
  std::string long_glob(kMaxPatternBytes + 1, '*');
  std::vector<Diagnostic> d = check("topic ~ $lists.watched", "watched",
                                    {"*.bodhi.*", "bodhi.update.comment", "", long_glob});
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].code, "W0005");
  EXPECT_EQ(d[0].message,
            "`$lists.watched` entry 2 \"bodhi.update.comment\": no topic is "
            "\"bodhi.update.comment\": topics are whole, like "
            "\"org.fedoraproject.prod.bodhi.update.comment\"");
  EXPECT_EQ(d[0].hint,
            "to match the end of the topic write \"*.bodhi.update.comment\" in the list");
  EXPECT_EQ(d[1].code, "W0006");
  EXPECT_EQ(d[1].severity, Severity::kWarning);
  EXPECT_EQ(d[2].code, "E0301");
  // W0005 is about the topic only; `~*` is checked like `~`.
  EXPECT_TRUE(check("agent ~ $lists.w", "w", {"ralph"}).empty());
  EXPECT_EQ(check("topic ~* $lists.w", "w", {"Bodhi.Update"})[0].code, "W0005");
}

TEST_F(ListPatternChecks, AHugeListOfPatternsIsRefusedWhole) {
  std::vector<std::string> many;
  for (size_t i = 0; i <= kMaxListPatterns; ++i) many.push_back("(x" + std::to_string(i));
  std::vector<Diagnostic> d = check("agent matches $lists.big", "big", many);
  ASSERT_EQ(d.size(), 1u);  // one error, not a thousand
  EXPECT_EQ(d[0].code, "E0301");
  EXPECT_EQ(d[0].message,
            "`$lists.big` has 1001 entries; a list read as patterns holds at most 1000");
}

TEST(ListPatternBounds, HostileListsStayBounded) {
  UserParams p = testing::params("kevin");
  // More entries than a list of patterns may hold: the first kMaxListPatterns are compiled.
  std::vector<std::string>& many = p.lists.emplace_back(UserList{"many", {}}).items;
  for (int i = 0; i < 20000; ++i) many.push_back("x" + std::to_string(100000 + i) + "*");
  // Patterns that backtrack exponentially elsewhere are linear in RE2.
  p.lists.push_back({"evil", {"(a+)+$", "(a|aa)+b", "(.*a){20}", "^(a?){25}a{25}$"}});
  p.normalize();
  EXPECT_EQ(p.view().user_list_globs("many", false).size(), kMaxListPatterns);
  auto m = testing::message(R"({"topic":"t","msg_id":"x","i":1,"timestamp":1,"msg":{}})");
  m->meta.agent = std::string(20000, 'a') + "!";
  EXPECT_FALSE(testing::evaluates("agent ~ $lists.many", *m, p));
  EXPECT_TRUE(testing::evaluates("agent matches $lists.evil", *m, p));  // (.*a){20}
  m->meta.agent = "x100999-tail";                                       // the last entry compiled
  EXPECT_TRUE(testing::evaluates("agent ~ $lists.many", *m, p));
}

}  // namespace
}  // namespace fmn::dsl
