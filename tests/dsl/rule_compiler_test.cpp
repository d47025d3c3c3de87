#include "dsl/rule_compiler.h"

#include <gtest/gtest.h>

#include <string>

#include "dsl/compile.h"

namespace fmn::dsl {
namespace {

TEST(RuleCompiler, CompilesAStoredRuleWithTheDefaultsDefinitions) {
  RuleCompiler compiler;
  auto result = compiler.compile("packages in $my_packages and not package_noise");
  ASSERT_NE(result->rule, nullptr) << result->errors;
  EXPECT_TRUE(result->errors.empty());
  for (const Diagnostic& d : result->diagnostics) {
    EXPECT_NE(d.severity, Severity::kError) << d.message;
  }
}

TEST(RuleCompiler, TheSameTextAsAWholeFileCompilesToTheSameRule) {
  RuleCompiler compiler;
  const std::string source = "$me in usernames and not mutual_noise";
  const std::string& defaults = default_rules_source().text();
  SourceFile file(
      "rule", defaults.substr(0, defaults.find("\nrule ") + 1) + "rule \"r\" = " + source + "\n");
  Diagnostics diagnostics;
  auto set = compile(file, diagnostics);
  ASSERT_TRUE(set && !set->rules.empty());
  auto result = compiler.compile(source);
  ASSERT_NE(result->rule, nullptr);
  EXPECT_EQ(result->rule->canonical, set->rules.back().canonical);
}

TEST(RuleCompiler, ErrorsArePlacedInTheRuleText) {
  RuleCompiler compiler;
  auto result = compiler.compile("$me in usernames\n  and pakages in $my_packages");
  EXPECT_EQ(result->rule, nullptr);
  ASSERT_FALSE(result->diagnostics.empty());
  EXPECT_EQ(result->diagnostics[0].span, (TextSpan{2, 7, 2, 13}));  // `pakages`
  EXPECT_EQ(result->errors.rfind("2:7-13: error[E", 0), 0u) << result->errors;
}

TEST(RuleCompiler, EachTextIsCompiledOnceWhileCached) {
  RuleCompiler compiler(8);
  auto first = compiler.compile("category == \"git\"");
  auto again = compiler.compile("category == \"git\"");
  EXPECT_EQ(first, again);  // the same result object
  auto broken = compiler.compile("topic ==");
  EXPECT_EQ(broken, compiler.compile("topic =="));  // rejections are remembered too
  EXPECT_EQ(compiler.stats().compilations, 2u);
  EXPECT_EQ(compiler.stats().hits, 2u);
}

TEST(RuleCompiler, EvictsTheLeastRecentlyUsedTextPastItsCapacity) {
  RuleCompiler compiler(2);
  auto a = compiler.compile("category == \"a\"");
  compiler.compile("category == \"b\"");
  compiler.compile("category == \"a\"");  // a is now the most recently used
  compiler.compile("category == \"c\"");  // evicts b
  RuleCompiler::Stats s = compiler.stats();
  EXPECT_EQ(s.cached, 2u);
  EXPECT_EQ(s.evictions, 1u);
  EXPECT_EQ(s.compilations, 3u);

  compiler.compile("category == \"a\"");  // still cached
  EXPECT_EQ(compiler.stats().compilations, 3u);
  compiler.compile("category == \"b\"");  // was evicted: compiled again, evicting c
  s = compiler.stats();
  EXPECT_EQ(s.compilations, 4u);
  EXPECT_EQ(s.evictions, 2u);
  EXPECT_EQ(s.cached, 2u);
  // A result handed out before its eviction stays usable.
  EXPECT_NE(a->rule, nullptr);
  EXPECT_EQ(a->rule->canonical, compiler.compile("category == \"a\"")->rule->canonical);
}

}  // namespace
}  // namespace fmn::dsl
