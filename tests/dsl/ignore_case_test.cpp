// The operators that ignore case (`==*`, `!=*`, `in*`, `~*`, `startswith*`, `endswith*`,
// `contains*`): spelling, printing, checking and meaning, ASCII letters only.
#include <gtest/gtest.h>

#include "dsl/fold_case.h"
#include "dsl/formatter.h"
#include "dsl/grammar/parser.h"
#include "dsl/interpreter.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

using testing::compile_ok;

using testing::codes;
using Codes = std::vector<std::string>;

TEST(FoldCase, OnlyAsciiLettersFold) {
  EXPECT_EQ(fold_case("Ralph-Bean_42 ÉÖ"), "ralph-bean_42 ÉÖ");
  EXPECT_TRUE(equal_ignoring_case("KeRnEl", "kernel"));
  EXPECT_FALSE(equal_ignoring_case("kernel", "kernel "));
  EXPECT_FALSE(equal_ignoring_case("É", "é"));         // U+00C9 vs U+00E9
  EXPECT_FALSE(equal_ignoring_case("ß", "SS"));        // no expansions
  EXPECT_TRUE(equal_ignoring_case("Zoë Ö", "zOë Ö"));  // the ASCII letters around them fold
  EXPECT_FALSE(equal_ignoring_case("@", "`"));         // neighbours of A-Z in ASCII stay apart
  EXPECT_FALSE(equal_ignoring_case("[", "{"));
  EXPECT_TRUE(starts_with_ignoring_case("Kernel-6.1", "kERNEL-"));
  EXPECT_FALSE(starts_with_ignoring_case("Ke", "kernel"));
  EXPECT_TRUE(ends_with_ignoring_case("org.X.COMMENT", ".comment"));
  EXPECT_FALSE(ends_with_ignoring_case("t", "comment"));
  EXPECT_TRUE(contains_ignoring_case("Works For Me", "for ME"));
  EXPECT_TRUE(contains_ignoring_case("", ""));
  EXPECT_FALSE(contains_ignoring_case("Works", "worksx"));
}

TEST(IgnoreCaseSyntax, EveryOperatorParsesAndRoundTrips) {
  const std::pair<const char*, Op> kCases[] = {{"==*", Op::kEqFold},
                                               {"!=*", Op::kNeFold},
                                               {"in*", Op::kInFold},
                                               {"~*", Op::kGlobFold},
                                               {"startswith*", Op::kStartsWithFold},
                                               {"endswith*", Op::kEndsWithFold},
                                               {"contains*", Op::kContainsFold}};
  for (const auto& [spelling, op] : kCases) {
    std::string rhs = op == Op::kInFold ? "[\"A\"]" : "\"A*\"";
    SourceFile file("t.fmn", "rule \"r\" = msg.x " + std::string(spelling) + " " + rhs + "\n");
    Diagnostics diags;
    Module m = parse(file, diags);
    ASSERT_TRUE(diags.all().empty()) << spelling;
    ASSERT_EQ(m.statements.size(), 1u);
    EXPECT_EQ(m.at(m.statements[0].body).op, op) << spelling;
    EXPECT_EQ(op_spelling(op), spelling);
    EXPECT_EQ(std::string(op_spelling(case_sensitive(op))) + "*", spelling);
    EXPECT_TRUE(ignores_case(op));
    EXPECT_FALSE(ignores_case(case_sensitive(op)));
    EXPECT_EQ(format_module(file, m), file.text()) << spelling;
  }
  testing::expect_round_trips("t",
                              R"(rule "a" = agent ==* $me or agent !=* "X" and msg.a in* ["B", "c"]
rule "b" = topic ~* ["*.Bodhi.*", "*.KOJI.*"] and not subtitle contains* "Spam"
rule "c" = msg.t startswith* "Kernel-" or msg.t endswith* [".FC39", ".fc40"] or $me in* usernames
)");
  // No blank between the operator and its `*`; `matches` and the orderings have no `*` form.
  for (const char* text : {"rule \"r\" = agent == * \"X\"", "rule \"r\" = agent matches* \"X\"",
                           "rule \"r\" = agent <* \"X\"", "rule \"r\" = agent in * [\"X\"]"}) {
    EXPECT_EQ(codes(text), Codes{"E0014"}) << text;
  }
  // `*` never starts a value, so `in*` next to a name or a parameter stays one operator.
  EXPECT_EQ(codes("rule \"r\" = agent in*$followed_users or agent ==*agent"), Codes{});
}

TEST(IgnoreCaseSyntax, LiteralsAreFoldedInTheCanonicalForm) {
  RuleSet rules = compile_ok(R"(
    rule "a" = msg.x ==* "Ralph" and topic ~* ["*.B", "*.a", "*.b"] and packages in* ["Z", "z", "y"]
    rule "b" = msg.x ==* "rALPH" and topic ~* ["*.A", "*.b"] and packages in* ["y", "Z"]
    rule "c" = msg.x == "Ralph" and topic ~ ["*.b", "*.a"] and packages in ["y", "z"]
  )");
  ASSERT_EQ(rules.rules.size(), 3u);
  EXPECT_EQ(rules.rules[0].canonical,
            "msg.x ==* \"ralph\" and topic ~* [\"*.a\", \"*.b\"] and packages in* [\"y\", \"z\"]");
  EXPECT_EQ(rules.rules[1].canonical, rules.rules[0].canonical);  // equal tests, equal text
  EXPECT_EQ(rules.rules[0].shape, "msg.x ==* ?0 and topic ~* ?1 and packages in* ?2");
  EXPECT_NE(rules.rules[2].shape, rules.rules[0].shape);  // case matters to the shape
}

TEST(IgnoreCaseChecker, TypeErrorsAsForTheCaseSensitiveForm) {
  EXPECT_EQ(codes("rule \"a\" = msg.new ==* 3"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = exists msg.ok and msg.ok !=* true"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = timestamp startswith* \"1\""), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = msg.ids in* [1, 2]"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = packages ==* \"kernel\""), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = $me in* agent"), Codes{"E0201"});
  EXPECT_EQ(codes("rule \"a\" = topic ~* $me"), Codes{"E0203"});
  EXPECT_EQ(codes("rule \"a\" = msg.x ==* msg.y and msg.z contains* $me"), Codes{});
  SourceFile file("t.fmn", "rule \"a\" = msg.new ==* 3");
  Diagnostics diags;
  compile(file, diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].message, "`==*` ignores the case of strings, but `3` is a number");
  EXPECT_EQ(diags.all()[0].hint, "write `==`");
}

TEST(IgnoreCaseChecker, WarningsAsForTheCaseSensitiveForm) {
  EXPECT_EQ(codes("rule \"a\" = topic ~* \"bodhi.update.comment\""), Codes{"W0005"});
  EXPECT_EQ(codes("rule \"a\" = msg.x contains* \"\""), Codes{"W0006"});
  EXPECT_EQ(codes("rule \"a\" = msg.x !=* \"a\""), Codes{"W0008"});
  EXPECT_EQ(codes("rule \"a\" = exists msg.x and msg.x !=* \"a\""), Codes{});
  EXPECT_EQ(codes("rule \"a\" = category ==* \"bodhi.update\""), Codes{"W0007"});
  EXPECT_EQ(codes("rule \"a\" = category ==* \"Bodhi\""), Codes{});  // the case is ignored
  EXPECT_EQ(codes("rule \"a\" = category == \"Bodhi\""), Codes{"W0007"});
}

class IgnoreCaseSemantics : public ::testing::Test {
 protected:
  void SetUp() override {
    msg_ = testing::message(
        R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":"2024-x","i":3,)"
        R"("timestamp":1700000000,"msg":{"name":"Zoë Ölund","karma":-1,"ok":true,)"
        R"("text":"Works For Me","tags":["Alpha","beta",2],"title":"Kernel-6.1-1.FC39"}})");
    msg_->meta.category = "bodhi";
    msg_->meta.agent = "Kevin";
    msg_->meta.usernames = {"Kevin", "ralph"};
    msg_->meta.packages = {"kernel"};
    params_ = testing::params("KEVIN", {"KERNEL", "systemd"});
  }

  bool eval(const std::string& test) { return testing::evaluates(test, *msg_, params_); }

  std::unique_ptr<Message> msg_;
  UserParams params_;
};

TEST_F(IgnoreCaseSemantics, AsciiLettersFoldOnBothSides) {
  EXPECT_TRUE(eval("agent ==* $me"));
  EXPECT_FALSE(eval("agent == $me"));
  EXPECT_TRUE(eval("$me ==* agent"));
  EXPECT_FALSE(eval("agent !=* \"kEVIN\""));
  EXPECT_TRUE(eval("agent !=* \"kevin2\""));
  EXPECT_TRUE(eval("$me in* usernames"));
  EXPECT_TRUE(eval("\"RALPH\" in* usernames"));
  EXPECT_TRUE(eval("packages in* $my_packages"));
  EXPECT_FALSE(eval("packages in $my_packages"));
  EXPECT_TRUE(eval("$my_packages in* packages"));
  EXPECT_TRUE(eval("usernames in* [\"nobody\", \"KEVIN\"]"));
  EXPECT_TRUE(eval("msg.tags in* [\"ALPHA\"]"));
  EXPECT_TRUE(eval("msg.tags in* msg.tags"));
  EXPECT_TRUE(eval("topic ~* \"*.BODHI.*\""));
  EXPECT_TRUE(eval("usernames ~* \"KEV*\""));
  EXPECT_FALSE(eval("usernames ~ \"KEV*\""));
  EXPECT_TRUE(eval("topic startswith* \"ORG.FedoraProject\""));
  EXPECT_TRUE(eval("topic endswith* [\".X\", \".COMMENT\"]"));
  EXPECT_TRUE(eval("msg.text contains* \"for ME\""));
  EXPECT_TRUE(eval("msg.title startswith* $my_packages"));
  EXPECT_TRUE(eval("msg.tags contains* \"ALP\""));
}

TEST_F(IgnoreCaseSemantics, OtherBytesCompareAsThemselves) {
  EXPECT_TRUE(eval("msg.name ==* \"ZOë Ölund\""));   // Z, O, l, u, n, d fold
  EXPECT_FALSE(eval("msg.name ==* \"zoë ölund\""));  // Ö is not ö
  EXPECT_FALSE(eval("msg.name ==* \"ZOË ÖLUND\""));  // nor ë Ë
  EXPECT_TRUE(eval("msg.name ~* \"zo? Ö*\""));       // `?` is still one code point
  EXPECT_TRUE(eval("msg.name endswith* \"ÖLUND\""));
  EXPECT_FALSE(eval("msg.name contains* \"ölund\""));
  // Case folding is not Unicode's: for that, RE2's (?i).
  EXPECT_TRUE(eval("msg.name matches \"(?i)^zoë ölund$\""));
}

TEST_F(IgnoreCaseSemantics, MissingValuesAndOtherTypesAsWithoutTheStar) {
  for (const char* path : {"msg.absent", "subtitle", "msg.name.x"}) {
    std::string p(path);
    EXPECT_FALSE(eval(p + " ==* \"x\"")) << p;
    EXPECT_TRUE(eval(p + " !=* \"x\"")) << p;
    EXPECT_FALSE(eval(p + " in* [\"x\"]")) << p;
    EXPECT_FALSE(eval(p + " ~* \"*\"")) << p;
    EXPECT_FALSE(eval(p + " contains* \"x\"")) << p;
  }
  EXPECT_FALSE(eval("\"x\" in* msg.absent"));
  params_.me.clear();
  EXPECT_FALSE(eval("agent ==* $me"));
  EXPECT_TRUE(eval("agent !=* $me"));
  // Numbers and booleans have no case: compared as `==` and `in` compare them.
  EXPECT_TRUE(eval("msg.karma ==* msg.karma and msg.ok ==* msg.ok"));
  EXPECT_FALSE(eval("msg.karma ==* msg.name"));
  EXPECT_TRUE(eval("msg.tags in* msg.tags"));
  EXPECT_FALSE(eval("msg.karma startswith* \"-\""));  // a number is no string
}

}  // namespace
}  // namespace fmn::dsl
