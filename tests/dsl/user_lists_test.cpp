// The user's named lists, `$lists.NAME`: spelling, printing, checking, meaning and bounds.
#include <gtest/gtest.h>

#include "dsl/formatter.h"
#include "dsl/grammar/parser.h"
#include "dsl/rule_compiler.h"
#include "dsl/user_list_checks.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

using testing::codes;
using testing::compile_ok;
using Codes = std::vector<std::string>;

TEST(UserListSyntax, ParsesPrintsAndRoundTrips) {
  SourceFile file("t.fmn", "rule \"r\" = msg.irc.channel in $lists.channels\n");
  Diagnostics diags;
  Module m = parse(file, diags);
  ASSERT_TRUE(diags.all().empty());
  const Expr& e = m.at(m.statements[0].body);
  EXPECT_EQ(e.rhs.kind, OperandKind::kParam);
  EXPECT_EQ(e.rhs.text, "lists.channels");
  EXPECT_EQ(user_list_name(e.rhs.text), "channels");
  EXPECT_EQ(user_list_name("my_packages"), std::nullopt);
  EXPECT_EQ(format_module(file, m), file.text());
  testing::expect_round_trips("t", R"(rule "a" = any usernames in $lists.friends and agent != $me
rule "b" = $lists.friends in usernames or packages in* $lists.pkgs
rule "c" = all $lists.friends == agent
)");
}

TEST(UserListSyntax, TheNameIsPartOfTheCanonicalTextButNotOfTheShape) {
  RuleSet rules = compile_ok(R"(
    rule "a" = agent in $lists.friends and usernames in $lists.others
    rule "b" = agent in $lists.colleagues and usernames in $lists.friends
    rule "c" = agent in $lists.friends and usernames in $lists.friends
  )");
  ASSERT_EQ(rules.rules.size(), 3u);
  EXPECT_EQ(rules.rules[0].canonical, "agent in $lists.friends and usernames in $lists.others");
  EXPECT_EQ(rules.rules[0].lists, (std::vector<std::string>{"friends", "others"}));
  EXPECT_EQ(rules.rules[0].shape, "agent in $lists.#0 and usernames in $lists.#1");
  EXPECT_EQ(rules.rules[1].shape, rules.rules[0].shape);  // one compiled function for both
  EXPECT_EQ(rules.rules[2].lists, (std::vector<std::string>{"friends"}));
  EXPECT_EQ(rules.rules[2].shape, "agent in $lists.#0 and usernames in $lists.#0");
}

TEST(UserListSyntax, MistakesGetTheirCodeAndAHint) {
  EXPECT_EQ(codes("rule \"r\" = agent in $lists."), Codes{"E0007"});
  EXPECT_EQ(codes("rule \"r\" = agent in $lists.9"), Codes{"E0007"});
  EXPECT_EQ(codes("rule \"r\" = agent in $lists"), Codes{"E0102"});
  EXPECT_EQ(codes("rule \"r\" = agent == $lists.friends"), Codes{"E0201"});  // a list
  EXPECT_EQ(codes("rule \"r\" = agent in $lists." + std::string(65, 'x')), Codes{"E0301"});
  EXPECT_EQ(codes("rule \"r\" = agent in $lists." + std::string(64, 'x')), Codes{});

  Diagnostics diags;
  SourceFile file("t.fmn", "rule \"r\" = agent in $lists\n");
  Module m = parse_and_check(file, diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].hint, "a named list is written `$lists.NAME`");
}

TEST(UserListCheck, AStoredRuleNamesItsListsWhereTheyAreWritten) {
  RuleCompiler compiler;
  auto result = compiler.compile("agent in $lists.friends or\n  any usernames in $lists.frends");
  ASSERT_TRUE(result->rule);
  ASSERT_EQ(result->lists.size(), 2u);
  EXPECT_EQ(result->lists[1].name, "frends");
  EXPECT_EQ(result->lists[1].where.line, 2u);
  EXPECT_EQ(result->lists[1].where.column, 20u);
  EXPECT_EQ(result->lists[1].where.end_column, 32u);

  const std::vector<std::string> none;
  auto lists = [&](std::vector<std::string_view> names) {
    std::vector<ListEntries> out;
    for (std::string_view n : names) out.push_back({n, &none});
    return out;
  };
  EXPECT_TRUE(list_diagnostics(result->lists, lists({"frends", "friends"})).empty());
  std::vector<Diagnostic> unknown = list_diagnostics(result->lists, lists({"friends", "channels"}));
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].code, "E0110");
  EXPECT_EQ(unknown[0].severity, Severity::kError);
  EXPECT_EQ(unknown[0].span, (TextSpan{2, 20, 2, 32}));
  EXPECT_EQ(unknown[0].message, "you have no list named `frends`");
  EXPECT_EQ(unknown[0].hint, "did you mean `$lists.friends`?");
  EXPECT_EQ(list_diagnostics(result->lists, {}).size(), 2u);
  EXPECT_EQ(list_diagnostics(result->lists, lists({"colleagues"}))[0].hint,
            "your lists are $lists.colleagues");
}

class UserListSemantics : public ::testing::Test {
 protected:
  void SetUp() override {
    msg_ = testing::message(
        R"({"topic":"org.fedoraproject.prod.irc.message","msg_id":"2024-x","i":3,)"
        R"("timestamp":1700000000,"msg":{"irc":{"channel":"#fedora-devel"},"n":3}})");
    msg_->meta.usernames = {"kevin", "ralph"};
    msg_->meta.agent = "ralph";
    params_ = testing::params("kevin");
    params_.lists = {{"friends", {"ralph", "adamw"}},
                     {"channels", {"#fedora-admin", "#fedora-devel"}},
                     {"empty", {}}};
    params_.normalize();
  }

  bool eval(const std::string& test) { return testing::evaluates(test, *msg_, params_); }

  std::unique_ptr<Message> msg_;
  UserParams params_;
};

TEST_F(UserListSemantics, AListIsAListParameterOfTheUsersOwn) {
  EXPECT_TRUE(eval("msg.irc.channel in $lists.channels"));
  EXPECT_TRUE(eval("msg.irc.channel in* $lists.channels"));
  EXPECT_TRUE(eval("agent in $lists.friends"));
  EXPECT_TRUE(eval("any usernames in $lists.friends"));
  EXPECT_TRUE(eval("usernames in $lists.friends"));
  EXPECT_FALSE(eval("all usernames in $lists.friends"));
  EXPECT_TRUE(eval("any $lists.friends == agent"));
  EXPECT_FALSE(eval("msg.n in $lists.channels"));  // a number is no string
}

TEST_F(UserListSemantics, AnEmptyOrMissingListHoldsNothing) {
  for (const char* name : {"empty", "missing"}) {
    std::string list = std::string("$lists.") + name;
    EXPECT_FALSE(eval("agent in " + list)) << name;
    EXPECT_FALSE(eval("any usernames in " + list)) << name;
    EXPECT_FALSE(eval("all " + list + " == agent")) << name;
    EXPECT_TRUE(eval("not agent in " + list)) << name;
  }
}

TEST(UserListBounds, AHugeListIsSearchedNotScanned) {
  UserParams p = testing::params("kevin");
  std::vector<std::string>& items = p.lists.emplace_back(UserList{"big", {}}).items;
  for (int i = 0; i < 200000; ++i) items.push_back("user" + std::to_string(i));
  p.lists.push_back({"big", {"shadowed"}});  // a repeated name keeps its first list
  p.normalize();
  ASSERT_EQ(p.lists.size(), 1u);
  auto m = testing::message(R"({"topic":"t","msg_id":"x","i":1,"timestamp":1,"msg":{}})");
  m->meta.agent = "user199999";
  EXPECT_TRUE(testing::evaluates("agent in $lists.big", *m, p));
  m->meta.agent = "shadowed";
  EXPECT_FALSE(testing::evaluates("agent in $lists.big", *m, p));
}

TEST(UserListParams, AssignedLikeTheOtherParameters) {
  UserParams p;
  EXPECT_EQ(assign_param(p, "$lists.friends=ralph,,kevin"), "");
  EXPECT_EQ(assign_param(p, "lists.friends=adamw"), "");  // replaces
  EXPECT_EQ(assign_param(p, "lists.=x"), "expected lists.NAME=a,b,c");
  p.normalize();
  EXPECT_EQ(p.user_list("friends"), (std::vector<std::string>{"adamw"}));
  EXPECT_TRUE(valid_list_name("my_channels_2"));
  for (const std::string& bad :
       std::vector<std::string>{"", "2x", "a-b", "a.b", std::string(65, 'a')}) {
    EXPECT_FALSE(valid_list_name(bad)) << bad;
  }
}

}  // namespace
}  // namespace fmn::dsl
