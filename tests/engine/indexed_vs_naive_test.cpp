// The indexed engine finds exactly what evaluating every rule finds, on every corpus message,
// whichever tier evaluates the rules; and the index does prune.
#include <gtest/gtest.h>

#include "dsl/interpreter.h"
#include "engine/rule_engine.h"
#include "tests/engine/engine_fixture.h"

namespace fmn::engine {
namespace {

using testing_support::corpus_messages;

class EngineMode_ : public testing::TestWithParam<EngineMode> {};

TEST_P(EngineMode_, IndexedMatchesEqualNaiveMatchesOnTheCorpus) {
  auto engine = RuleEngine::create(EngineOptions{GetParam()});
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  PopulationMaker maker(21);
  engine.value()->replace_all(maker.users(2000));
  engine.value()->wait_idle();
  auto gen = engine.value()->current();
  MatchScratch scratch;
  MatchCounts counts;
  size_t total_matches = 0;
  for (const auto& m : corpus_messages()) {
    std::vector<Match> indexed, naive;
    gen->match(*m, scratch, indexed, &counts);
    gen->match_naive(*m, naive);
    ASSERT_EQ(indexed.size(), as_set(indexed).size()) << "a record reported twice";
    ASSERT_EQ(as_set(indexed), as_set(naive)) << m->topic;
    total_matches += naive.size();
  }
  EXPECT_GT(total_matches, corpus_messages().size());
  // The index prunes: far fewer candidates than records.
  size_t records = gen->live_records();
  EXPECT_LT(counts.candidates, records * corpus_messages().size() / 2);
}

// As the pipeline runs them: on messages whose deferred meta fields (subtitle, link, objects)
// are extracted only when a rule reads them, or the index is keyed by them.
TEST_P(EngineMode_, MatchesOnIndexPartMetaEqualThoseOnFullMeta) {
  auto engine = RuleEngine::create(EngineOptions{GetParam()});
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  PopulationMaker maker(23);
  std::vector<UserRules> users = maker.users(2000);
  size_t reading_objects = 0, reading_subtitle = 0;
  for (const UserRules& u : users) {
    for (const RuleSpec& r : u.rules) {
      reading_objects += r.rule->canonical.find("objects") != std::string::npos;
      reading_subtitle += r.rule->canonical.find("subtitle") != std::string::npos;
    }
  }
  // Rules read the deferred fields.
  EXPECT_GT(reading_objects, 20u);
  EXPECT_GT(reading_subtitle, 20u);
  engine.value()->replace_all(std::move(users));
  engine.value()->wait_idle();
  auto gen = engine.value()->current();
  const auto& full = corpus_messages();
  const auto lazy = testing_support::corpus_messages_index_meta();
  ASSERT_EQ(full.size(), lazy.size());
  MatchScratch scratch;
  size_t total_matches = 0;
  for (size_t i = 0; i < full.size(); ++i) {
    std::vector<Match> on_full, on_lazy;
    gen->match(*full[i], scratch, on_full);
    gen->match(*lazy[i], scratch, on_lazy);
    ASSERT_EQ(as_set(on_lazy), as_set(on_full)) << full[i]->topic;
    total_matches += on_full.size();
  }
  EXPECT_GT(total_matches, full.size());
}

// The rules alone, without the index (which completes a field it is keyed by first): the
// interpreter's field access completes what it reads.
TEST(LazyMeta, RulesEvaluateOnIndexPartMetaAsOnFullMeta) {
  PopulationMaker maker(23);
  const std::vector<UserRules> users = maker.users(300);
  const auto& full = corpus_messages();
  const auto lazy = testing_support::corpus_messages_index_meta();
  ASSERT_EQ(full.size(), lazy.size());
  size_t matched = 0;
  for (size_t i = 0; i < full.size(); ++i) {
    for (const UserRules& u : users) {
      for (const RuleSpec& r : u.rules) {
        const bool expected = dsl::evaluate(*r.rule, *full[i], u.params);
        ASSERT_EQ(dsl::evaluate(*r.rule, *lazy[i], u.params), expected)
            << r.rule->canonical << "\n on " << full[i]->topic;
        matched += expected;
      }
    }
  }
  EXPECT_GT(matched, full.size());
}

INSTANTIATE_TEST_SUITE_P(Modes, EngineMode_,
                         testing::Values(EngineMode::kInterp, EngineMode::kJit, EngineMode::kAuto));

// Past 2^18 records the match fetches records and users' slots ahead of their use
// (generation.cpp): the same matches there too.
TEST(Generation, APopulationPastTheCacheMatchesAsTheNaiveEngine) {
  auto engine = RuleEngine::create(EngineOptions{EngineMode::kInterp});
  ASSERT_TRUE(engine.ok());
  PopulationMaker maker(31);
  engine.value()->replace_all(maker.users(120'000));
  engine.value()->wait_idle();
  auto gen = engine.value()->current();
  ASSERT_GT(gen->base().records().size(), size_t{1} << 18);
  MatchScratch scratch;
  size_t total_matches = 0;
  const auto& corpus = corpus_messages();
  for (size_t i = 0; i < corpus.size() && i < 12; ++i) {
    std::vector<Match> indexed, naive;
    gen->match(*corpus[i], scratch, indexed);
    gen->match_naive(*corpus[i], naive);
    ASSERT_EQ(indexed.size(), as_set(indexed).size()) << "a record reported twice";
    ASSERT_EQ(as_set(indexed), as_set(naive)) << corpus[i]->topic;
    total_matches += naive.size();
  }
  EXPECT_GT(total_matches, 12u);
}

TEST(Generation, DefaultRulesAreIndexedNotAlwaysChecked) {
  auto engine = RuleEngine::create(EngineOptions{EngineMode::kInterp});
  ASSERT_TRUE(engine.ok());
  PopulationMaker maker(5);
  std::vector<UserRules> users = maker.users(300);
  std::vector<UserRules> defaults_only;
  for (UserRules& u : users) {
    if (u.rules.size() > 3 && u.rules[0].rule->name == "Events on packages that I own") {
      u.rules.resize(3);
      defaults_only.push_back(std::move(u));
    }
  }
  ASSERT_FALSE(defaults_only.empty());
  engine.value()->replace_all(std::move(defaults_only));
  EXPECT_EQ(engine.value()->current()->base().index().always_count(), 0u);
}

}  // namespace
}  // namespace fmn::engine
