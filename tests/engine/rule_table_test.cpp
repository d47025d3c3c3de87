// RuleTable: one entry per distinct rule (by canonical text), dense ids, each new entry with a
// residual handed out once for compilation; an entry evaluates like the interpreter, and
// switches to native code when it is given some.
#include "engine/rule_table.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/codegen/test_corpus.h"

namespace fmn::engine {
namespace {

using testing_support::compile_one;
using testing_support::corpus_messages;

std::shared_ptr<const dsl::CompiledRule> rule(const std::string& name, const std::string& test) {
  auto r = compile_one("rule \"" + name + "\" = " + test + "\n");
  EXPECT_NE(r, nullptr) << test;
  return r;
}

TEST(RuleTable, AnEmptyTableHasNothingToCompile) {
  RuleTable table;
  EXPECT_EQ(table.size(), 0u);
  EXPECT_TRUE(table.take_uncompiled().empty());
}

TEST(RuleTable, EqualTestsShareOneEntryWhateverTheRuleIsCalled) {
  RuleTable table;
  auto a = rule("mine", "packages in $my_packages and not $me in usernames");
  auto b = rule("also mine", "packages in $my_packages and not $me in usernames");
  auto c = rule("other", "topic ~ \"*.bodhi.*\"");
  ASSERT_NE(a.get(), b.get());
  const InternedRule* ia = table.intern(a);
  EXPECT_EQ(table.intern(b), ia);
  EXPECT_EQ(table.intern(a), ia);
  const InternedRule* ic = table.intern(c);
  EXPECT_NE(ic, ia);
  EXPECT_EQ(table.size(), 2u);
  // Ids are dense from 0, in order of first sight: they index per-message memos.
  EXPECT_EQ(ia->id(), 0u);
  EXPECT_EQ(ic->id(), 1u);
}

TEST(RuleTable, EachNewResidualIsHandedOutForCompilationOnce) {
  RuleTable table;
  const InternedRule* user_rule = table.intern(rule("r", "$me in usernames"));
  table.intern(rule("g", "topic ~ \"*.bodhi.*\""));  // reads no parameter: nothing to compile
  table.intern(rule("again", "$me in usernames"));
  std::vector<InternedRule*> first = table.take_uncompiled();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0], user_rule);
  EXPECT_TRUE(table.take_uncompiled().empty());
  table.intern(rule("r", "$me in usernames"));  // known: not handed out again
  EXPECT_TRUE(table.take_uncompiled().empty());
}

bool always_true(const Message*, const dsl::ParamsView*, const dsl::CompiledRule*) { return true; }

TEST(InternedRule, EvaluatesLikeTheInterpreterAndSwitchesToNativeCodeWhenGiven) {
  RuleTable table;
  auto r = rule("r", "topic ~ \"*.bodhi.*\" and $me in usernames");
  table.intern(r);
  auto pending = table.take_uncompiled();
  ASSERT_EQ(pending.size(), 1u);
  InternedRule* entry = pending[0];
  EXPECT_TRUE(entry->has_guard());
  EXPECT_FALSE(entry->is_native());
  dsl::UserParams p;
  p.me = "bowlofeggs";
  p.normalize();
  size_t bodhi = 0;
  for (const auto& m : corpus_messages()) {
    EXPECT_EQ(entry->evaluate(*m, p, true), dsl::evaluate(*r, *m, p)) << m->topic;
    bodhi += entry->guard(*m);
  }
  ASSERT_GT(bodhi, 0u);

  // With native code the residual is the native function's answer, when native code is allowed.
  entry->set_native(&always_true);
  EXPECT_TRUE(entry->is_native());
  dsl::UserParams nobody;
  for (const auto& m : corpus_messages()) {
    EXPECT_EQ(entry->residual(*m, nobody, true), true);
    EXPECT_EQ(entry->residual(*m, nobody, false),
              dsl::evaluate(*entry->residual_rule(), *m, nobody));
    EXPECT_EQ(entry->evaluate(*m, nobody, true), entry->guard(*m));  // the guard still decides
  }
}

TEST(InternedRule, TheResidualIsProvenByTheKeysOnlyWhenTheGuardCannotBeTheKeys) {
  InternedRule defaults(rule("d", "packages in $my_packages and not topic endswith \".tag\""), 0);
  EXPECT_TRUE(defaults.residual_proven_by_keys());
  // The topic would be chosen as the key: a message reaching it proves nothing about packages.
  InternedRule topic_first(rule("t", "topic == \"a.b\" and packages in $my_packages"), 1);
  EXPECT_FALSE(topic_first.residual_proven_by_keys());
  InternedRule no_residual(rule("n", "topic == \"a.b\""), 2);
  EXPECT_FALSE(no_residual.residual_proven_by_keys());
}

TEST(RuleTable, ThreadsInterningTheSameRulesGetOneEntryEach) {
  testing_support::RuleSampler sampler(7);
  auto rules = sampler.rules(300);
  RuleTable table;
  std::vector<std::vector<const InternedRule*>> seen(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      for (const auto& r : rules) seen[t].push_back(table.intern(r));
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t t = 1; t < seen.size(); ++t) EXPECT_EQ(seen[t], seen[0]);
  std::set<std::string> canonical;
  for (const auto& r : rules) canonical.insert(r->canonical);
  EXPECT_EQ(table.size(), canonical.size());
  std::set<uint32_t> ids;
  for (const InternedRule* e : seen[0]) ids.insert(e->id());
  EXPECT_EQ(ids.size(), canonical.size());
  EXPECT_EQ(*ids.rbegin(), canonical.size() - 1);  // dense
}

}  // namespace
}  // namespace fmn::engine
