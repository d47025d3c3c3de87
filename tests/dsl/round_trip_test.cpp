// Printing and parsing agree: the formatter's output parses to the same tree and formats to
// itself; a rule's canonical text compiles back to the same canonical text and shape.
#include <gtest/gtest.h>

#include <filesystem>

#include "dsl/formatter.h"
#include "dsl/grammar/parser.h"
#include "dsl/syntax_equal.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

using testing::compile_ok;
using testing::expect_round_trips;

TEST(RoundTrip, EveryValidRuleFile) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(FMN_SOURCE_DIR "/data/rules")) {
    if (entry.path().extension() != ".fmn") continue;
    ++files;
    expect_round_trips(entry.path().filename().string(), testing::read_file(entry.path().string()));
  }
  EXPECT_GE(files, 2);
}

TEST(RoundTrip, CheckedInRuleFilesAreFormatted) {
  for (const char* name : {"fmn-defaults.fmn", "fmn-classic.fmn"}) {
    std::string text = testing::read_file(std::string(FMN_SOURCE_DIR "/data/rules/") + name);
    SourceFile file(name, text);
    Diagnostics diags;
    EXPECT_EQ(format_module(file, parse(file, diags)), text) << name;
  }
}

TEST(RoundTrip, TrickyLiteralsAndPaths) {
  expect_round_trips("t", R"(rule "a\tb\"c" = msg["a b"][0]["x\"y"].z == "\u0001é\\"
rule "n" = msg.x in [1.5, -2, 1e21, 0.1, 3] and msg.y == 1e-7
rule "p" = not (msg.a == 1 or msg.b == 2) and (msg.c == 3 or not msg.d == 4) or not not msg.e == 5
)");
}

TEST(RoundTrip, SeverityNamesStayNames) {
  expect_round_trips("s", "rule \"loud\" = severity >= warning and not severity == 40\n");
  SourceFile file("s", "rule \"loud\" = severity >= warning\n");
  Diagnostics diags;
  EXPECT_EQ(format_module(file, parse(file, diags)), "rule \"loud\" = severity >= warning\n");
}

TEST(Formatter, StandardLayoutKeepsComments) {
  std::string messy =
      "# Leading comment.\n"
      "def   mine=agent==$me   # trailing\n"
      "\n\n\n"
      "rule \"long\" = (topic ~ \"*.bodhi.update.comment\" or topic ~ "
      "\"*.bodhi.update.request.*\") "
      "and not mine and msg.update.title startswith \"kernel-\"\n"
      "rule \"exclusions\" = topic ~ [\n"
      "  # copr\n"
      "  \"*.copr.build.start\", \"*.copr.chroot.start\",  # starts\n"
      "] or not mine\n";
  SourceFile file("t", messy);
  Diagnostics diags;
  EXPECT_EQ(format_module(file, parse(file, diags)),
            "# Leading comment.\n"
            "def mine = agent == $me  # trailing\n"
            "\n"
            "rule \"long\" =\n"
            "    (topic ~ \"*.bodhi.update.comment\" or topic ~ \"*.bodhi.update.request.*\")\n"
            "    and not mine\n"
            "    and msg.update.title startswith \"kernel-\"\n"
            "rule \"exclusions\" =\n"
            "    topic ~ [\n"
            "        # copr\n"
            "        \"*.copr.build.start\",\n"
            "        \"*.copr.chroot.start\",  # starts\n"
            "    ]\n"
            "    or not mine\n");
}

TEST(Canonical, NormalFormAndShapes) {
  RuleSet rules = compile_ok(R"(
    def mine = agent == $me
    rule "a" = topic ~ "*.bodhi.*" and (packages in ["b", "a", "b"]) and not not mine
    rule "b" = topic ~ "*.koji.*" and packages in ["z"] and agent == $me
    rule "c" = (topic ~ "*.koji.*" and packages in ["z"]) or agent == $me
    rule "d" = msg.new == 3.0 and msg["odd key"][2] == "x" and topic ~ ["*.b", "*.a", "*.b"]
  )");
  ASSERT_EQ(rules.rules.size(), 4u);
  EXPECT_EQ(rules.rules[0].canonical,
            "topic ~ \"*.bodhi.*\" and packages in [\"a\", \"b\"] and agent == $me");
  EXPECT_EQ(rules.rules[0].shape, "topic ~ ?0 and packages in ?1 and agent == $me");
  EXPECT_EQ(rules.rules[1].shape, rules.rules[0].shape);  // one template, other constants
  EXPECT_NE(rules.rules[1].canonical, rules.rules[0].canonical);
  EXPECT_EQ(rules.rules[2].shape, "topic ~ ?0 and packages in ?1 or agent == $me");
  EXPECT_EQ(rules.rules[3].canonical,
            "msg.new == 3 and msg[\"odd key\"][2] == \"x\" and topic ~ [\"*.a\", \"*.b\"]");
}

}  // namespace
}  // namespace fmn::dsl
