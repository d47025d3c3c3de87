// `any` and `all` before a comparison, and `[*]` in the paths they range over: spelling,
// printing, checking, meaning and bounds.
#include <gtest/gtest.h>

#include "dsl/formatter.h"
#include "dsl/grammar/parser.h"
#include "dsl/interpreter.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

using testing::codes;
using testing::compile_ok;
using Codes = std::vector<std::string>;

TEST(QuantifierSyntax, ParsesPrintsAndRoundTrips) {
  SourceFile file("t.fmn", "rule \"r\" = any msg.update.builds[*].nvr startswith \"kernel-\"\n");
  Diagnostics diags;
  Module m = parse(file, diags);
  ASSERT_TRUE(diags.all().empty());
  ASSERT_EQ(m.statements.size(), 1u);
  const Expr& e = m.at(m.statements[0].body);
  EXPECT_EQ(e.kind, ExprKind::kCompare);
  EXPECT_EQ(e.quantifier, Quantifier::kAny);
  ASSERT_EQ(e.lhs.segments.size(), 4u);
  EXPECT_TRUE(e.lhs.segments[2].every);
  EXPECT_EQ(e.range.begin, file.text().find("any"));
  EXPECT_EQ(format_module(file, m), file.text());
  testing::expect_round_trips(
      "t", R"(rule "a" = all packages startswith "python-" and not any msg.tags == "x"
rule "b" = any msg.a[*].b[*].c ==* $me or all $my_packages in packages
rule "c" = any usernames in ["ralph", "kevin", "adamwill", "pingou", "mattia", "churchyard", "nirik"]
)");
}

TEST(QuantifierSyntax, TheLastStepIsImpliedInTheCanonicalForm) {
  RuleSet rules = compile_ok(R"(
    rule "a" = any msg.tags == "x"
    rule "b" = any msg.tags[*] == "x"
    rule "c" = all msg.builds[*].nvr startswith "kernel-"
  )");
  ASSERT_EQ(rules.rules.size(), 3u);
  EXPECT_EQ(rules.rules[0].canonical, "any msg.tags[*] == \"x\"");
  EXPECT_EQ(rules.rules[1].canonical, rules.rules[0].canonical);
  EXPECT_EQ(rules.rules[2].shape, "all msg.builds[*].nvr startswith ?0");
  EXPECT_NE(rules.rules[0].shape, "msg.tags == ?0");  // a quantifier is part of the shape
}

TEST(QuantifierSyntax, MistakesAreSyntaxErrorsAtTheirPlace) {
  EXPECT_EQ(codes("rule \"r\" = any"), Codes{"E0006"});
  EXPECT_EQ(codes("rule \"r\" = any msg.tags"), Codes{"E0005"});
  EXPECT_EQ(codes("rule \"r\" = any msg.tags and topic == \"x\""), Codes{"E0005"});
  EXPECT_EQ(codes("rule \"r\" = any msg.tags == * \"x\""), Codes{"E0014"});
  EXPECT_EQ(codes("rule \"r\" = any any msg.tags == \"x\""), Codes{"E0006"});
  EXPECT_EQ(codes("rule \"r\" = msg.tags[ * ] == \"x\""), Codes{"E0206"});  // blanks are fine
  EXPECT_EQ(codes("def any = true\nrule \"r\" = any"), (Codes{"E0003", "E0006"}));
  SourceFile file("t.fmn", "rule \"r\" = all msg.tags\n");
  Diagnostics diags;
  parse(file, diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].message, "expected an operator after `any ...`/`all ...`");
}

TEST(QuantifierChecker, NeedsAListAndKeepsStarsUnderIt) {
  EXPECT_EQ(codes("rule \"r\" = any topic == \"x\""), Codes{"E0205"});
  EXPECT_EQ(codes("rule \"r\" = all $me == agent"), Codes{"E0205"});
  EXPECT_EQ(codes("rule \"r\" = any \"x\" == agent"), Codes{"E0205"});
  EXPECT_EQ(codes("rule \"r\" = any timestamp > 3"), Codes{"E0205"});
  EXPECT_EQ(codes("rule \"r\" = msg.builds[*].nvr == \"x\""), Codes{"E0206"});
  EXPECT_EQ(codes("rule \"r\" = exists msg.builds[*].nvr"), Codes{"E0206"});
  EXPECT_EQ(codes("rule \"r\" = any msg.a == msg.b[*]"), Codes{"E0206"});
  EXPECT_EQ(codes("rule \"r\" = any packages[*] == \"x\""), Codes{"E0108"});
  EXPECT_EQ(codes("rule \"r\" = any msg.a[*].b[*] == 1 and all [1, 2] in msg.c"), Codes{});
  SourceFile file("t.fmn", "rule \"r\" = any topic == \"x\" or msg.b[*] == 1");
  Diagnostics diags;
  compile(file, diags);
  ASSERT_EQ(diags.all().size(), 2u);
  EXPECT_EQ(diags.all()[0].message,
            "`any` ranges over the elements of a list, but `topic` is a string");
  EXPECT_EQ(diags.all()[0].hint, "drop `any` to test the value itself");
  EXPECT_EQ(diags.all()[0].span, (TextSpan{1, 16, 1, 20}));  // "topic"
  EXPECT_EQ(diags.all()[1].span, TextSpan::point(1, 38));    // "*"
  EXPECT_EQ(diags.all()[1].hint,
            "write `any msg.b[*] ...` (some element) or `all msg.b[*] ...` "
            "(every one)");
}

TEST(QuantifierChecker, TheElementIsWhatTheTypesSee) {
  // The elements of a meta list are strings.
  EXPECT_EQ(codes("rule \"r\" = any packages == \"x\""), Codes{});
  EXPECT_EQ(codes("rule \"r\" = any packages == 3"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"r\" = all usernames in $followed_users"), Codes{});
  EXPECT_EQ(codes("rule \"r\" = any packages matches \"^python\""), Codes{});
  // `!=` under a quantifier is false without elements: no W0008.
  EXPECT_EQ(codes("rule \"r\" = all msg.builds[*].type != \"module\""), Codes{});
  // Two `any` tests on one path may both hold: no contradiction.
  EXPECT_EQ(codes("rule \"r\" = any msg.tags == \"a\" and any msg.tags == \"b\""), Codes{});
}

class QuantifierSemantics : public ::testing::Test {
 protected:
  void SetUp() override {
    msg_ = testing::message(
        R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":"2024-x","i":3,)"
        R"("timestamp":1700000000,"msg":{"update":{"builds":[{"nvr":"kernel-6.1-1.fc39",)"
        R"("epoch":0},{"nvr":"kernel-headers-6.1-1.fc39","epoch":1}]},"tags":["Alpha","beta",2],)"
        R"("empty":[],"text":"kernel","nested":[[1,2],[3]],"partial":[{"a":"x"},{"b":"y"}],)"
        R"("nulls":[null]}})");
    msg_->meta.usernames = {"kevin", "ralph"};
    msg_->meta.packages = {"python-a", "python-b"};
    params_ = testing::params("kevin", {"python-b", "systemd"});
  }

  bool eval(const std::string& test) { return testing::evaluates(test, *msg_, params_); }

  std::unique_ptr<Message> msg_;
  UserParams params_;
};

TEST_F(QuantifierSemantics, AnyIsSomeElementAllIsEveryOneOfAtLeastOne) {
  EXPECT_TRUE(eval("all msg.update.builds[*].nvr startswith \"kernel-\""));
  EXPECT_TRUE(eval("any msg.update.builds[*].nvr startswith \"kernel-headers\""));
  EXPECT_FALSE(eval("all msg.update.builds[*].nvr startswith \"kernel-headers\""));
  EXPECT_TRUE(eval("any msg.update.builds[*].epoch > 0"));
  EXPECT_FALSE(eval("all msg.update.builds[*].epoch > 0"));
  EXPECT_TRUE(eval("any msg.tags == \"beta\""));
  EXPECT_TRUE(eval("any msg.tags == 2"));  // elements keep their types
  EXPECT_FALSE(eval("any msg.tags == \"2\""));
  EXPECT_TRUE(eval("any msg.tags ==* \"ALPHA\""));
  EXPECT_TRUE(eval("any msg.nested[*][*] == 3"));
  EXPECT_TRUE(eval("all msg.nested[*][*] < 4"));
  EXPECT_TRUE(eval("all packages startswith \"python-\""));
  EXPECT_FALSE(eval("all usernames == $me"));
  EXPECT_TRUE(eval("any usernames == $me"));
  EXPECT_TRUE(eval("any packages in $my_packages"));
  EXPECT_FALSE(eval("all packages in $my_packages"));
  EXPECT_TRUE(eval("all [\"kevin\", \"ralph\"] in usernames"));
  EXPECT_TRUE(eval("any msg.update.builds[*].nvr matches \"^kernel-[0-9]\""));
  EXPECT_TRUE(eval("not all msg.tags == \"Alpha\""));
}

TEST_F(QuantifierSemantics, NothingToRangeOverIsFalseForBoth) {
  for (const char* path : {"msg.empty", "msg.text", "msg.no.such", "msg.update"}) {
    std::string p(path);
    EXPECT_FALSE(eval("any " + p + " != \"z\"")) << p;
    EXPECT_FALSE(eval("all " + p + " != \"z\"")) << p;
    EXPECT_TRUE(eval("not all " + p + " == \"z\"")) << p;
  }
  EXPECT_FALSE(eval("any msg.text[*].x == \"kernel\""));  // a string has no elements
  params_.my_packages.clear();
  EXPECT_FALSE(eval("all $my_packages in packages"));
  EXPECT_FALSE(eval("any $my_packages in packages"));
}

TEST_F(QuantifierSemantics, AnElementLackingThePathIsAMissingValue) {
  EXPECT_TRUE(eval("any msg.partial[*].a == \"x\""));
  EXPECT_FALSE(eval("all msg.partial[*].a == \"x\""));
  EXPECT_TRUE(eval("all msg.partial[*].a != \"z\""));  // missing is not "z"
  EXPECT_TRUE(eval("any msg.partial[*].c != \"z\""));
  EXPECT_TRUE(eval("all msg.nulls != \"z\""));  // null is a missing value too
  EXPECT_FALSE(eval("any msg.nulls == \"z\""));
}

TEST(QuantifierBounds, MegabyteArraysAreOnePass) {
  std::string items;
  for (int i = 0; i < 200000; ++i) items += (i ? ",{\"n\":" : "{\"n\":") + std::to_string(i) + "}";
  auto m = testing::message(R"({"topic":"t","msg_id":"x","i":1,"timestamp":1,"msg":{"a":[)" +
                            items + "]}}");
  UserParams p = testing::params("");
  EXPECT_TRUE(testing::evaluates("all msg.a[*].n >= 0", *m, p));
  EXPECT_TRUE(testing::evaluates("any msg.a[*].n == 199999", *m, p));
  EXPECT_FALSE(testing::evaluates("any msg.a[*].n[*] == 1", *m, p));
}

}  // namespace
}  // namespace fmn::dsl
