// Hostile rule sources: each is rejected with a diagnostic naming the problem, or compiles to
// rules whose evaluation is bounded. Files from tests/hostile/rules/ plus generated ones over
// every limit of dsl/limits.h (a hang here is caught by the test's CTest timeout).
#include <gtest/gtest.h>

#include <map>

#include "core/envelope_parser.h"
#include "dsl/compile.h"
#include "dsl/interpreter.h"
#include "dsl/limits.h"
#include "tests/hostile/hostile_inputs.h"

namespace fmn::hostile {
namespace {

struct Outcome {
  std::optional<dsl::RuleSet> rules;
  std::vector<std::string> codes;  // "E0015"...
};

Outcome compile_text(const std::string& name, const std::string& text) {
  dsl::SourceFile file(name, text);
  dsl::Diagnostics diags;
  Outcome out{dsl::compile(file, diags), {}};
  for (const Diagnostic& d : diags.all()) {
    EXPECT_LE(d.span.end_line, file.line_count()) << name;
    EXPECT_FALSE(render_text(d, file.name(), file.text()).empty());
    if (d.severity == Severity::kError) {
      out.codes.emplace_back(d.code);
    }
  }
  return out;
}

bool has_code(const Outcome& o, std::string_view code) {
  return std::find(o.codes.begin(), o.codes.end(), code) != o.codes.end();
}

std::string rules_file(const std::string& name) {
  return read_file(std::string(FMN_SOURCE_DIR) + "/tests/hostile/rules/" + name);
}

TEST(HostileRules, CheckedInFilesAreRejectedWithTheirDiagnostics) {
  const std::map<std::string, std::vector<std::string>> expected = {
      {"nested-parens.fmn", {"E0015"}},
      {"nested-not.fmn", {"E0015"}},
      {"unclosed-parens.fmn", {"E0015"}},
      {"doubling-definitions.fmn", {"E0301"}},
      {"unknown-fields.fmn", {"E0101", "E0102", "E0103"}},
  };
  for (const auto& [name, codes] : expected) {
    Outcome o = compile_text(name, rules_file(name));
    EXPECT_FALSE(o.rules.has_value()) << name;
    for (const std::string& code : codes) EXPECT_TRUE(has_code(o, code)) << name << " " << code;
  }
}

TEST(HostileRules, BadBytesAreDiagnosedOrHarmless) {
  Outcome nul = compile_text("nul-bytes.fmn", rules_file("nul-bytes.fmn"));
  EXPECT_FALSE(nul.rules.has_value());
  EXPECT_FALSE(nul.codes.empty());
  // Rule text is UTF-8: anything else is an error at its position, so no rule name or string
  // can carry bytes a JSON output could not hold.
  Outcome utf8 = compile_text("invalid-utf8.fmn", rules_file("invalid-utf8.fmn"));
  EXPECT_FALSE(utf8.rules.has_value());
  EXPECT_TRUE(has_code(utf8, "E0016"));
  // Control characters inside string literals are accepted (they can only fail to match);
  // renderers make whatever reaches a notification valid and one line.
  Outcome control = compile_text("control-chars.fmn", rules_file("control-chars.fmn"));
  ASSERT_TRUE(control.rules.has_value());
  EXPECT_EQ(control.rules->rules.size(), 2u);
}

TEST(HostileRules, PathologicalRegexesAreRejectedOrLinear) {
  std::string text = rules_file("pathological-regex.fmn");
  Outcome o = compile_text("pathological-regex.fmn", text);
  // RE2 has no look-around or back-references, and the huge repetition is over its budget.
  EXPECT_FALSE(o.rules.has_value());
  EXPECT_TRUE(has_code(o, "E0204"));
  // Without the rejected ones, the rest compile and run in linear time on a long input.
  std::string linear = text.substr(0, text.find("rule \"lookahead\""));
  Outcome ok = compile_text("linear.fmn", linear);
  ASSERT_TRUE(ok.rules.has_value()) << testing::PrintToString(ok.codes);
  std::string subject(1 << 20, 'a');
  std::string json =
      R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg":{"comment":{"text":")" +
      subject + R"("}},"msg_id":"2024-regex"})";
  auto m = parse_envelope(json);
  ASSERT_TRUE(m.ok());
  m.value()->meta.subtitle = subject;
  m.value()->meta.agent = std::string(1 << 20, 'x');
  dsl::UserParams nobody;
  ASSERT_EQ(ok.rules->rules.size(), 3u);
  std::vector<bool> matched;
  for (const dsl::CompiledRule& r : ok.rules->rules)
    matched.push_back(dsl::evaluate(r, *m.value(), nobody));
  EXPECT_EQ(matched, (std::vector<bool>{false, true, false}));
}

TEST(HostileRules, TestsIgnoringCaseStayBoundedOnLongText) {
  Outcome ok = compile_text("ignore-case.fmn", R"(
rule "near misses" = msg.comment.text contains* "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
rule "backtracking glob" = msg.comment.text ~* "*a*a*a*a*a*a*a*b"
rule "non-ascii is not folded" = msg.comment.text endswith* "aé"
rule "ascii around it is" = msg.comment.text endswith* "aÉ" and agent ==* $me
)");
  ASSERT_TRUE(ok.rules.has_value()) << testing::PrintToString(ok.codes);
  std::string json =
      R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg":{"comment":{"text":")" +
      std::string(1 << 20, 'A') + R"(É"}},"msg_id":"2024-case"})";
  auto m = parse_envelope(json);
  ASSERT_TRUE(m.ok());
  m.value()->meta.agent = std::string(1 << 20, 'x');
  dsl::UserParams me;
  me.me = std::string(1 << 20, 'X');
  std::vector<bool> matched;
  for (const dsl::CompiledRule& r : ok.rules->rules) {
    matched.push_back(dsl::evaluate(r, *m.value(), me));
  }
  EXPECT_EQ(matched, (std::vector<bool>{false, false, false, true}));
}

// `[*]` steps visit each node of the message at most once per test, however many there are.
TEST(HostileRules, AnyAndAllStayBoundedOnWideAndDeepArrays) {
  std::string path = "msg.a";
  for (int i = 0; i < 15; ++i) path += "[*]";
  Outcome ok = compile_text("quantifiers.fmn",
                            "rule \"wide\" = all msg.a[*][*] >= 0\n"
                            "rule \"deep\" = any " +
                                path +
                                " == 1\n"
                                "rule \"none\" = any msg.a[*][*] == -1\n");
  ASSERT_TRUE(ok.rules.has_value()) << testing::PrintToString(ok.codes);
  std::string json = R"({"topic":"t","msg_id":"2024-wide","msg":{"a":[)";
  for (int i = 0; i < 50000; ++i) json += i ? ",[1,2,3,4,5,6,7,8,9,10]" : "[1,2,3,4,5,6,7,8,9,10]";
  json += "]}}";
  auto m = parse_envelope(json);
  ASSERT_TRUE(m.ok());
  dsl::UserParams nobody;
  std::vector<bool> matched;
  for (const dsl::CompiledRule& r : ok.rules->rules) {
    matched.push_back(dsl::evaluate(r, *m.value(), nobody));
  }
  EXPECT_EQ(matched, (std::vector<bool>{true, false, false}));
  // A path of more parts than the limit is rejected like any other.
  EXPECT_TRUE(
      has_code(compile_text("long.fmn", "rule \"r\" = any " + path + "[*][*] == 1"), "E0301"));
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string many(const std::string& item, size_t n, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? sep : "") + item + std::to_string(i);
  return out;
}

TEST(HostileRules, GeneratedInputsOverEveryLimitAreRejected) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"100000 parentheses",
       "rule \"p\" = " + repeat("(", 100000) + "topic == \"x\"" + repeat(")", 100000) + "\n"},
      {"100000 nots", "rule \"n\" = " + repeat("not ", 100000) + "topic == \"x\"\n"},
      {"20000 tests", "rule \"t\" = " + many("topic == \"t", 20000, "\" or ") + "\"\n"},
      {"20000 list items", "rule \"l\" = topic in [" + many("\"i", 20000, "\", ") + "\"]\n"},
      {"1 MB string", "rule \"s\" = topic == \"" + std::string(1 << 20, 's') + "\"\n"},
      {"5000 statements", many("rule \"r", 5000, "\" = topic == \"x\"\n") + "\" = true\n"},
      {"2 MB file", "# " + std::string(2 << 20, 'c') + "\nrule \"c\" = true\n"},
      {"long glob", "rule \"g\" = topic ~ \"" + std::string(10000, '*') + "\"\n"},
      {"long path", "rule \"d\" = msg" + repeat(".a", 100) + " == 1\n"},
  };
  for (const auto& [what, text] : cases) {
    Outcome o = compile_text(what, text);
    EXPECT_FALSE(o.rules.has_value()) << what;
    EXPECT_FALSE(o.codes.empty()) << what;
    EXPECT_LE(o.codes.size(), 200u) << what << ": diagnostics are bounded too";
  }
}

}  // namespace
}  // namespace fmn::hostile
