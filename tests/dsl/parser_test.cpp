#include "dsl/grammar/parser.h"

#include <gtest/gtest.h>

#include "dsl/diagnostics.h"

namespace fmn::dsl {
namespace {

struct Parsed {
  SourceFile file;
  Module module;
  Diagnostics diags;
};

std::unique_ptr<Parsed> parse_text(std::string text) {
  auto p = std::make_unique<Parsed>(Parsed{SourceFile("t.fmn", std::move(text)), {}, {}});
  p->module = parse(p->file, p->diags);
  return p;
}

TEST(Parser, BuildsStatementsAndFlatChains) {
  auto p = parse_text(
      "# header\n"
      "def mine = agent == $me\n"
      "rule \"x\" = a and (b and c) and not mine or exists msg.a[0][\"k\"]  # tail\n");
  ASSERT_FALSE(p->diags.has_errors());
  ASSERT_EQ(p->module.statements.size(), 2u);
  EXPECT_EQ(p->module.comments.size(), 2u);
  const Statement& def = p->module.statements[0];
  EXPECT_EQ(def.kind, StatementKind::kDef);
  EXPECT_EQ(def.name, "mine");
  const Expr& cmp = p->module.at(def.body);
  EXPECT_EQ(cmp.kind, ExprKind::kCompare);
  EXPECT_EQ(cmp.lhs.text, "agent");
  EXPECT_EQ(cmp.rhs.kind, OperandKind::kParam);
  EXPECT_EQ(cmp.rhs.text, "me");
  EXPECT_EQ(p->file.slice(cmp.range), "agent == $me");

  const Statement& rule = p->module.statements[1];
  EXPECT_EQ(rule.name, "x");
  const Expr& top = p->module.at(rule.body);
  ASSERT_EQ(top.kind, ExprKind::kOr);
  ASSERT_EQ(top.children.size(), 2u);
  const Expr& conj = p->module.at(top.children[0]);
  ASSERT_EQ(conj.kind, ExprKind::kAnd);
  EXPECT_EQ(conj.children.size(), 4u);  // a, b, c, not mine
  const Expr& exists = p->module.at(top.children[1]);
  ASSERT_EQ(exists.kind, ExprKind::kExists);
  ASSERT_EQ(exists.lhs.segments.size(), 3u);
  EXPECT_EQ(exists.lhs.segments[0].key, "a");
  EXPECT_EQ(exists.lhs.segments[1].index, 0u);
  EXPECT_EQ(exists.lhs.segments[2].key, "k");
  EXPECT_EQ(p->file.slice(exists.lhs.range), "msg.a[0][\"k\"]");
}

TEST(Parser, DecodesLiterals) {
  auto p = parse_text(R"(rule "\u00e9\"" = msg.x in ["a\tb", -2.5e1, "\ud83d\ude00"])");
  ASSERT_FALSE(p->diags.has_errors());
  EXPECT_EQ(p->module.statements[0].name, "\xc3\xa9\"");
  const Operand& list = p->module.at(p->module.statements[0].body).rhs;
  ASSERT_EQ(list.items.size(), 3u);
  EXPECT_EQ(list.items[0].text, "a\tb");
  EXPECT_EQ(list.items[1].number, -25.0);
  EXPECT_EQ(list.items[2].text, "\xf0\x9f\x98\x80");
}

TEST(Parser, RecoversAtTheNextStatement) {
  auto p = parse_text(
      "rule \"a\" = topic ==\n"
      "rule \"b\" = true\n"
      "rule \"c\" = (x\n"
      "  and y\n"
      "def d = y && z\n"
      "rule \"e\" = false\n");
  ASSERT_EQ(p->diags.all().size(), 3u);
  EXPECT_EQ(p->diags.all()[0].code, code_info(Code::kExpectedValue).id);
  EXPECT_EQ(p->diags.all()[1].code, code_info(Code::kUnclosedParen).id);
  EXPECT_EQ(p->diags.all()[2].code, code_info(Code::kNotAnOperator).id);
  ASSERT_EQ(p->module.statements.size(), 2u);
  EXPECT_EQ(p->module.statements[0].name, "b");
  EXPECT_EQ(p->module.statements[1].name, "e");
}

TEST(Parser, PointsAtTheMistake) {
  auto p = parse_text("rule \"a\" = topic = \"x\"\nrule \"b\" = msg.x == \"abc\n");
  ASSERT_EQ(p->diags.all().size(), 2u);
  EXPECT_EQ(render_text(p->diags.all()[0], p->file.name(), p->file.text()),
            "t.fmn:1:18: error[E0014]: `=` does not compare\n"
            "   1 | rule \"a\" = topic = \"x\"\n"
            "     |                  ^\n"
            "   hint: write `==`\n");
  EXPECT_EQ(render_text(p->diags.all()[1], p->file.name(), p->file.text()),
            "t.fmn:2:21-24: error[E0010]: unterminated string\n"
            "   2 | rule \"b\" = msg.x == \"abc\n"
            "     |                     ~~~~\n"
            "   hint: close the string with `\"` on the same line\n");
}

// Junk in column 1 after a complete rule ends that rule and is where the next statement is
// looked for: one mistake, one error.
TEST(Parser, JunkAfterARuleIsOneError) {
  auto p = parse_text("rule \"a\" = topic == \"x\"\njunk == 3\nrule \"b\" = true\n");
  ASSERT_EQ(p->diags.all().size(), 1u);
  EXPECT_EQ(p->diags.all()[0].code, code_info(Code::kExpectedEnd).id);
  EXPECT_EQ(p->diags.all()[0].span, (TextSpan{2, 1, 2, 4}));  // "junk"
  ASSERT_EQ(p->module.statements.size(), 1u);                 // the rule with the error is dropped
  EXPECT_EQ(p->module.statements[0].name, "b");
}

// An unknown escape is underlined as the message quotes it: the backslash and what follows,
// whether that is a letter, punctuation or a multi-byte character.
TEST(Parser, UnknownEscapesAreUnderlinedWhole) {
  for (std::string seq : {"\\U", "\\.", "\\\xc3\xa9", "\\x"}) {
    auto p = parse_text("rule \"a\" = msg.x == \"C:" + seq + "sers\"\n");
    ASSERT_EQ(p->diags.all().size(), 1u) << seq;
    EXPECT_EQ(p->diags.all()[0].code, code_info(Code::kBadEscape).id);
    EXPECT_EQ(p->diags.all()[0].span, (TextSpan{1, 24, 1, 25})) << seq;  // two characters
  }
}

TEST(Parser, RejectsNumbersOutOfRange) {
  auto p = parse_text("rule \"a\" = msg.x == 1e999\nrule \"b\" = msg.x == 1e308");
  ASSERT_EQ(p->diags.all().size(), 1u);
  EXPECT_EQ(p->diags.all()[0].code, code_info(Code::kTooLarge).id);
  EXPECT_EQ(p->diags.all()[0].span, (TextSpan{1, 21, 1, 25}));  // "1e999"
  EXPECT_EQ(p->module.statements.size(), 1u);
}

TEST(Parser, BoundsNesting) {
  std::string deep = "rule \"a\" = " + std::string(100, '(') + "x" + std::string(100, ')');
  auto p = parse_text(deep);
  ASSERT_EQ(p->diags.all().size(), 1u);
  EXPECT_EQ(p->diags.all()[0].code, code_info(Code::kTooDeep).id);
  std::string nots = "rule \"a\" = ";
  for (int i = 0; i < 10000; ++i) nots += "not ";
  p = parse_text(nots + "x");
  ASSERT_EQ(p->diags.all().size(), 1u);
  EXPECT_EQ(p->diags.all()[0].code, code_info(Code::kTooDeep).id);
}

}  // namespace
}  // namespace fmn::dsl
