#include "dsl/checker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dsl/compile.h"
#include "dsl/limits.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

struct Checked {
  SourceFile file;
  Diagnostics diags;
};

std::unique_ptr<Checked> check_text(const std::string& text) {
  auto c = std::make_unique<Checked>(Checked{SourceFile("t.fmn", text), {}});
  compile(c->file, c->diags);
  return c;
}

using testing::codes;

using Codes = std::vector<std::string>;

TEST(Checker, AcceptsValidRules) {
  EXPECT_EQ(codes(R"(
    def mine = agent == $me
    rule "a" = topic ~ "*.bodhi.update.comment" and msg.comment.update.user.name == $me
               and not mine
    rule "b" = packages in $my_packages or $me in usernames or agent in $followed_users
    rule "c" = msg.update.title startswith "kernel-" and msg.update.status in ["stable", "testing"]
    rule "d" = msg.build.owner matches "^(ralph|kevin)$" and msg.new >= 3 and exists msg.x[0]["k"]
    rule "e" = usernames contains "bot" and packages ~ ["python-*", "rust-*"] and timestamp > 0
    rule "f" = msg.a == msg.b and msg.c in msg.d and exists msg.e and msg.e != false
               and $me in $my_groups
  )"),
            Codes{});
}

TEST(Checker, ResolvesNames) {
  EXPECT_EQ(codes("rule \"a\" = pakages in $my_packages"), Codes{"E0101"});
  EXPECT_EQ(codes("rule \"a\" = packages in $my_pakages"), Codes{"E0102"});
  EXPECT_EQ(codes("rule \"a\" = mine"), Codes{"E0103"});
  EXPECT_EQ(codes("rule \"a\" = mine\ndef mine = true"), (Codes{"E0104", "W0003"}));
  EXPECT_EQ(codes("def a = true\ndef a = false\nrule \"x\" = a"), Codes{"E0105"});
  EXPECT_EQ(codes("rule \"x\" = agent == $me\nrule \"x\" = $me in usernames"), Codes{"E0106"});
  EXPECT_EQ(codes("def agent = true\nrule \"x\" = agent"), (Codes{"E0107", "W0003", "E0202"}));
  EXPECT_EQ(codes("rule \"x\" = topic.x == 1"), Codes{"E0108"});
  EXPECT_EQ(codes("def a = true\nrule \"x\" = a == true"), (Codes{"W0003", "E0109"}));
}

TEST(Checker, SuggestsTheClosestName) {
  auto c = check_text("def own_activity = agent == $me\nrule \"x\" = not own_activty");
  ASSERT_EQ(c->diags.all().size(), 2u);  // the unknown name, and so the def is unused
  EXPECT_EQ(c->diags.all()[1].hint, "did you mean `own_activity`?");
  c = check_text("rule \"x\" = usrnames == $me");
  EXPECT_EQ(c->diags.all()[0].hint, "did you mean `usernames`?");
  c = check_text("rule \"x\" = frobnicate == $me");
  EXPECT_EQ(c->diags.all()[0].hint, "to read the message body write `msg.frobnicate`");
}

TEST(Checker, ChecksTypes) {
  EXPECT_EQ(codes("rule \"a\" = packages == \"kernel\""), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = usernames > 3"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = topic == 3"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = $me in agent"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = packages in [1]"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = timestamp ~ \"1*\""), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = topic ~ $me"), Codes{"E0203"});
  EXPECT_EQ(codes("rule \"a\" = topic matches [\"a\"]"), Codes{"E0203"});
  EXPECT_EQ(codes("rule \"a\" = topic matches \"(\""), Codes{"E0204"});
  EXPECT_EQ(codes("rule \"a\" = msg.x"), Codes{"E0202"});
  EXPECT_EQ(codes("rule \"a\" = \"yes\""), Codes{"E0202"});
  // Body paths are typed when a message arrives: anything goes at check time.
  EXPECT_EQ(codes("rule \"a\" = msg.x == 3 and msg.y ~ \"a*\" and msg.z in msg.w"), Codes{});
}

TEST(Checker, EnforcesLimits) {
  std::string list = "rule \"a\" = packages in [";
  for (int i = 0; i < 1001; ++i) list += "\"p" + std::to_string(i) + "\",";
  EXPECT_EQ(codes(list + "]"), Codes{"E0301"});
  std::string many;
  for (int i = 0; i < 1001; ++i) many += "rule \"r" + std::to_string(i) + "\" = agent == $me\n";
  EXPECT_EQ(codes(many), Codes{"E0301"});
  EXPECT_EQ(codes("rule \"a\" = msg.x == \"" + std::string(5000, 'x') + "\""), Codes{"E0301"});
  EXPECT_EQ(codes(std::string(kMaxFileBytes + 1, ' ')), Codes{"E0301"});
}

TEST(Checker, WarnsWhereItIsCheap) {
  EXPECT_EQ(codes("rule \"a\" = category == \"x\" and false"), Codes{"W0002"});
  EXPECT_EQ(codes("rule \"a\" = category == \"x\" or not false"), Codes{"W0001"});
  EXPECT_EQ(codes("rule \"a\" = category == \"x\" or category==\"x\""), Codes{"W0004"});
  EXPECT_EQ(codes("rule \"a\" = msg.s == \"a\" and msg.s == \"b\""), Codes{"W0002"});
  EXPECT_EQ(codes("rule \"a\" = exists msg"), Codes{"W0001"});
  EXPECT_EQ(codes("def unused = true\nrule \"a\" = agent == $me"), Codes{"W0003"});
  // A rule that is plainly `true` matches the whole bus: almost never what was meant.
  EXPECT_EQ(codes("rule \"everything\" = true"), Codes{"W0001"});
  // Warnings do not stop compilation.
  Diagnostics diags;
  EXPECT_TRUE(compile(SourceFile("t", "rule \"a\" = category == \"x\" and false"), diags));
}

TEST(Checker, CollectsManyErrorsInOneRun) {
  auto c = check_text(
      "rule \"a\" = pakages in $my_packages\n"
      "rule \"b\" = topic = \"x\"\n"
      "rule \"c\" = agent == $myself\n"
      "rule \"d\" = msg.t matches \"(\"\n"
      "rule \"e\" = packages == \"k\"\n");
  ASSERT_EQ(c->diags.error_count(), 5u);
  uint32_t line = 1;
  for (const Diagnostic& d : c->diags.all()) EXPECT_EQ(d.span.line, line++);
}

TEST(Checker, RendersJson) {
  auto c = check_text("rule \"a\" = pakages in $my_packages");
  EXPECT_EQ(render_json(c->diags.all()[0], c->file.name()),
            R"({"file":"t.fmn","line":1,"column":12,"end_line":1,"end_column":18,)"
            R"("severity":"error","code":"E0101","message":"unknown field `pakages`",)"
            R"("hint":"did you mean `packages`?"})");
}

}  // namespace
}  // namespace fmn::dsl
