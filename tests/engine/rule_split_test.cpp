// split_rule: a rule is its guard (what depends on the message only) and its residual (what
// depends on the user); the guard reads no parameter, and guard and residual equal the rule.
#include "engine/rule_split.h"

#include <gtest/gtest.h>

#include "dsl/interpreter.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::engine {
namespace {

using testing_support::compile_one;
using testing_support::corpus_messages;

std::shared_ptr<const dsl::CompiledRule> rule(const std::string& test) {
  auto r = compile_one("rule \"r\" = " + test + "\n");
  EXPECT_NE(r, nullptr) << test;
  return r;
}

// Users that make parameter tests go both ways on the corpus.
std::vector<dsl::UserParams> users() {
  std::vector<dsl::UserParams> out(3);
  out[1].me = "bowlofeggs";
  out[1].my_packages = {"kernel", "python-requests"};
  out[2].me = "ralph";
  out[2].my_packages = {"nethack"};
  for (dsl::UserParams& p : out) p.normalize();
  return out;
}

bool holds(const dsl::CompiledRule* part, const Message& m, const dsl::UserParams& p) {
  return part == nullptr || dsl::evaluate(*part, m, p);
}

// The contract, on every corpus message and several users: rule == guard and residual, and the
// guard does not depend on the user.
void expect_equivalent(const std::shared_ptr<const dsl::CompiledRule>& r, const SplitRule& s) {
  const dsl::UserParams nobody;
  for (const auto& m : corpus_messages()) {
    const bool guard_alone = holds(s.guard.get(), *m, nobody);
    for (const dsl::UserParams& p : users()) {
      EXPECT_EQ(holds(s.guard.get(), *m, p), guard_alone) << r->canonical << " on " << m->topic;
      EXPECT_EQ(guard_alone && holds(s.residual.get(), *m, p), dsl::evaluate(*r, *m, p))
          << r->canonical << " on " << m->topic;
    }
  }
}

TEST(RuleSplit, ARuleReadingNoParameterIsAllGuard) {
  auto r = rule("topic ~ \"*.bodhi.*\" and not category == \"git\"");
  SplitRule s = split_rule(r);
  EXPECT_EQ(s.guard, r);  // the same object: nothing is copied
  EXPECT_EQ(s.residual, nullptr);
  expect_equivalent(r, s);
}

TEST(RuleSplit, ARuleOfParameterTestsOnlyIsAllResidual) {
  auto r = rule("packages in $my_packages and not $me in usernames");
  SplitRule s = split_rule(r);
  EXPECT_EQ(s.guard, nullptr);
  EXPECT_EQ(s.residual, r);
  expect_equivalent(r, s);
}

TEST(RuleSplit, OnlyATopLevelAndIsSplit) {
  for (const char* test : {"topic ~ \"*.bodhi.*\" or $me in usernames",
                           "not (topic ~ \"*.bodhi.*\" and $me in usernames)"}) {
    auto r = rule(test);
    SplitRule s = split_rule(r);
    EXPECT_EQ(s.guard, nullptr) << test;
    EXPECT_EQ(s.residual, r) << test;
    expect_equivalent(r, s);
  }
}

TEST(RuleSplit, AMixedAndHoistsTheChildrenThatReadNoParameter) {
  auto r = rule(
      "topic ~ \"*.bodhi.*\" and packages in $my_packages and not category == \"git\" and "
      "agent != $me");
  SplitRule s = split_rule(r);
  ASSERT_NE(s.guard, nullptr);
  ASSERT_NE(s.residual, nullptr);
  // The parts are rules of their own: their canonical text and shape say what they test.
  EXPECT_EQ(s.guard->canonical,
            rule("topic ~ \"*.bodhi.*\" and not category == \"git\"")->canonical);
  EXPECT_EQ(s.residual->canonical, rule("packages in $my_packages and agent != $me")->canonical);
  EXPECT_EQ(s.residual->shape, rule("packages in $my_packages and agent != $me")->shape);
  expect_equivalent(r, s);
}

TEST(RuleSplit, AParameterOnEitherSideOfAComparisonIsTheUsers) {
  for (const char* test :
       {"topic ~ \"*.git.*\" and agent == $me", "topic ~ \"*.git.*\" and $me in usernames"}) {
    auto r = rule(test);
    ASSERT_NE(r, nullptr);
    SplitRule s = split_rule(r);
    ASSERT_NE(s.guard, nullptr) << test;
    ASSERT_NE(s.residual, nullptr) << test;
    expect_equivalent(r, s);
  }
}

TEST(RuleSplit, RandomRulesKeepTheirMeaning) {
  testing_support::RuleSampler sampler(41);
  size_t split = 0;
  for (const auto& r : sampler.rules(200)) {
    SplitRule s = split_rule(r);
    ASSERT_TRUE(s.guard || s.residual);
    split += s.guard && s.residual;
    expect_equivalent(r, s);
  }
  EXPECT_GT(split, 0u);  // the sample exercises real splits
}

}  // namespace
}  // namespace fmn::engine
