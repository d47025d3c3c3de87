// Warnings about valid rules that cannot mean what they say, and syntax errors that name the
// mistake behind them. Each warning is tested where it fires and where it must not.
#include "dsl/checker_warnings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dsl/compile.h"
#include "tests/dsl/dsl_test_support.h"

namespace fmn::dsl {
namespace {

std::vector<Diagnostic> diagnose(const std::string& text) {
  SourceFile file("t.fmn", text);
  Diagnostics diags;
  compile(file, diags);
  return diags.all();
}

using testing::codes;

using Codes = std::vector<std::string>;

TEST(CheckerWarnings, TopicPatternsThatCannotMatchATopic) {
  EXPECT_EQ(codes(R"(rule "a" = topic ~ "bodhi.update.comment")"), Codes{"W0005"});
  EXPECT_EQ(codes(R"(rule "a" = topic == "bodhi.update.comment")"), Codes{"W0005"});
  EXPECT_EQ(codes(R"(rule "a" = topic in ["koji", "org.fedoraproject.prod.koji.tag"])"),
            Codes{"W0005"});
  EXPECT_EQ(codes(R"(rule "a" = topic ~ ["*.koji.*", "fedoraproject.prod.koji.tag"])"),
            Codes{"W0005"});
  // Wildcards, and whole topics of any environment, can match.
  for (const char* fine :
       {R"(rule "a" = topic ~ "*.bodhi.update.comment")", R"(rule "a" = topic ~ "org.?")",
        R"(rule "a" = topic ~ "org.fedoraproject.stg.bodhi.update.comment")",
        R"(rule "a" = topic == "io.pagure.prod.pagure.issue.new")",
        R"(rule "a" = topic contains "bodhi.update")",
        R"(rule "a" = msg.topic ~ "bodhi.update")"}) {
    EXPECT_EQ(codes(fine), Codes{}) << fine;
  }
  auto d = diagnose(R"(rule "a" = topic ~ "bodhi.update.comment")");
  EXPECT_EQ(d[0].hint, R"(to match the end of the topic write `topic ~ "*.bodhi.update.comment"`)");
}

TEST(CheckerWarnings, EmptyPatternsAndNames) {
  EXPECT_EQ(codes(R"(rule "" = agent == $me)"), Codes{"W0006"});
  EXPECT_EQ(codes(R"(rule "a" = topic ~ "")"), Codes{"W0006"});
  EXPECT_EQ(codes(R"(rule "a" = packages ~ ["", "x"])"), Codes{});  // one empty among many
  for (const char* op : {"contains", "startswith", "endswith", "matches"}) {
    EXPECT_EQ(codes(std::string(R"(rule "a" = msg.x )") + op + R"( "")"), Codes{"W0006"}) << op;
  }
  EXPECT_EQ(codes(R"(rule "a" = msg.x == "")"), Codes{});  // an empty value is a value
}

TEST(CheckerWarnings, RulesThatAreConstants) {
  EXPECT_EQ(codes(R"(rule "a" = true)"), Codes{"W0001"});
  EXPECT_EQ(codes(R"(rule "a" = false)"), Codes{"W0002"});
  EXPECT_EQ(codes(R"(rule "a" = not not false)"), Codes{"W0002"});
  EXPECT_EQ(codes(R"(rule "a" = not true)"), Codes{"W0002"});
  // A definition may be a constant (a switch); only rules are checked.
  EXPECT_EQ(codes("def off = false\nrule \"a\" = agent == $me and not off"), Codes{});
}

TEST(CheckerWarnings, ValuesAFieldNeverHas) {
  EXPECT_EQ(codes(R"(rule "a" = category == "Bodhi")"), Codes{"W0007"});
  EXPECT_EQ(codes(R"(rule "a" = category in ["bodhi", "koji.build"])"), Codes{"W0007"});
  EXPECT_EQ(codes(R"(rule "a" = category == "fedora_elections")"), Codes{});
  EXPECT_EQ(diagnose(R"(rule "a" = category == "Bodhi")")[0].hint, R"(did you mean "bodhi"?)");
}

TEST(CheckerWarnings, NotEqualsOnAPathTheMessageMayLack) {
  EXPECT_EQ(codes(R"(rule "a" = msg.update.status != "stable")"), Codes{"W0008"});
  EXPECT_EQ(codes(R"(rule "a" = $me != msg.owner)"), Codes{"W0008"});
  EXPECT_EQ(codes(R"(rule "a" = agent == $me or msg.owner != $me)"), Codes{"W0008"});
  // Required by the same `and` (even around an `or` or `not`): no warning.
  for (const char* fine : {
           R"(rule "a" = exists msg.s and msg.s != "stable")",
           R"(rule "a" = msg.s != "stable" and exists msg.s)",
           R"(rule "a" = msg.s startswith "t" and msg.s != "testing")",
           R"(rule "a" = exists msg.s and (agent == $me or not msg.s != "x"))",
           R"(rule "a" = msg.c.user == $me and msg.c.author != $me)",  // one object
           R"(rule "a" = msg.a != msg.b)",  // two paths: whichever is missing, it is a choice
           R"(rule "a" = agent != $me)",    // not a body path
       }) {
    EXPECT_EQ(codes(fine), Codes{}) << fine;
  }
  EXPECT_EQ(codes(R"(rule "a" = msg.b.owner == $me and msg.c.author != $me)"), Codes{"W0008"});
  // A test in an `or` does not require anything.
  EXPECT_EQ(codes(R"(rule "a" = (exists msg.s or agent == $me) and msg.s != "x")"), Codes{"W0008"});
}

TEST(CheckerWarnings, NeverBlockCompilation) {
  Diagnostics diags;
  EXPECT_TRUE(compile(SourceFile("t", R"(rule "" = topic ~ "bodhi" or msg.s != "x")"), diags));
  EXPECT_EQ(diags.error_count(), 0u);
  EXPECT_EQ(diags.all().size(), 3u);
}

struct Hinted {
  std::string id, message, hint;
};

Hinted first(const std::string& text) {
  auto d = diagnose(text);
  if (d.empty()) return {};
  return {std::string(d[0].code), d[0].message, d[0].hint};
}

TEST(SyntaxHints, FunctionCalls) {
  Hinted h = first(R"(rule "a" = lower(topic) == "x")");
  EXPECT_EQ(h.message,
            "`lower(...)` looks like a function call, but the language has no functions");
  EXPECT_TRUE(h.hint.starts_with(R"(did you mean `topic ==* "..."` or `topic matches "(?i)..."`?)"))
      << h.hint;
  // The field comes from the call, whichever way it is written.
  h = first(R"(rule "a" = msg.title.toLowerCase() == "x")");
  EXPECT_EQ(h.id, "E0013");
  EXPECT_EQ(h.message,
            "`toLowerCase(...)` looks like a function call, but the language has no functions");
  EXPECT_TRUE(h.hint.starts_with("did you mean `msg.title ==* ")) << h.hint;
  h = first(R"(rule "a" = agent == upper("RALPH"))");
  EXPECT_TRUE(h.hint.starts_with("did you mean `msg.title ==* ")) << h.hint;
  h = first(R"(rule "a" = len (msg.x) == 1)");
  EXPECT_NE(h.message.find("`len(...)`"), std::string::npos);
  EXPECT_EQ(h.hint.find("(?i)"), std::string::npos);
  // Operators written as methods.
  h = first(R"(rule "a" = msg.title.startswith("kernel-"))");
  EXPECT_EQ(h.hint, R"(`startswith` is an operator: write `msg.title startswith "kernel-"`)");
}

TEST(SyntaxHints, RegexEscapes) {
  Hinted h = first(R"(rule "a" = msg.title matches "kernel\.5")");
  EXPECT_EQ(h.id, "E0011");
  EXPECT_EQ(h.message, "unknown escape sequence `\\.`");
  EXPECT_TRUE(h.hint.starts_with("write `\\\\.`")) << h.hint;
  h = first(R"(rule "a" = msg.title matches "\d+")");
  EXPECT_NE(h.hint.find("`\\\\d`"), std::string::npos) << h.hint;
}

TEST(SyntaxHints, TypographicQuotesAndByteOrderMark) {
  for (const char* q : {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99"}) {
    Hinted h = first(std::string("rule ") + q + "a" + q + " = agent == $me");
    EXPECT_EQ(h.message, std::string("`") + q + "` is a typographic quote, not `\"`") << q;
    h = first(std::string("rule \"a\" = agent == ") + q + "ralph" + q);
    EXPECT_NE(h.message.find("typographic quote"), std::string::npos) << q;
    EXPECT_NE(h.hint.find("plain double quotes"), std::string::npos) << q;
  }
  // Guillemets and the full-width quote of East Asian input methods.
  for (const char* q : {"\xC2\xAB", "\xC2\xBB", "\xEF\xBC\x82"}) {
    Hinted h = first(std::string("rule \"a\" = agent == ") + q + "ralph" + q);
    EXPECT_EQ(h.message, std::string("`") + q + "` is a typographic quote, not `\"`") << q;
  }
  Hinted h = first("\xEF\xBB\xBFrule \"a\" = agent == $me");
  EXPECT_EQ(h.id, "E0001");
  EXPECT_EQ(h.hint, "save the file as UTF-8 without a BOM");
  // Files joined together: a BOM starts the second one, and is reported once.
  auto joined = diagnose("rule \"a\" = agent == $me\n\xEF\xBB\xBFrule \"b\" = agent == $me\n");
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].message, "an invisible byte order mark (U+FEFF) is here");
  EXPECT_NE(joined[0].hint.find("remove it"), std::string::npos) << joined[0].hint;
  // A quote inside a string is just text.
  EXPECT_EQ(codes("rule \"a\" = msg.t contains \"\xE2\x80\x9Cx\xE2\x80\x9D\""), Codes{});
}

}  // namespace
}  // namespace fmn::dsl
