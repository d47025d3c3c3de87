// Matching threads never block and always see a consistent generation while another thread
// publishes generations continuously (edits, compactions, native code arriving). Run under
// ThreadSanitizer with -DFMN_SANITIZE=thread.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "engine/rule_engine.h"
#include "tests/engine/engine_fixture.h"

namespace fmn::engine {
namespace {

using testing_support::corpus_messages;

constexpr UserId kChurnBase = 10000;

MatchSet stable_only(const std::vector<Match>& matches) {
  MatchSet s;
  for (const Match& m : matches) {
    if (m.user_id() < kChurnBase) s.emplace(m.user_id(), m.rule_index);
  }
  return s;
}

TEST(Concurrency, MatchingWhileGenerationsAreSwapped) {
  auto engine = RuleEngine::create(EngineOptions{EngineMode::kAuto, {}, 25});
  ASSERT_TRUE(engine.ok());
  PopulationMaker maker(77);
  std::vector<UserRules> stable = maker.users(300);
  engine.value()->replace_all(stable);
  engine.value()->wait_idle();
  // What the users who never change must match, message by message.
  std::vector<MatchSet> expected;
  {
    auto gen = engine.value()->current();
    MatchScratch scratch;
    for (const auto& m : corpus_messages()) {
      std::vector<Match> matches;
      gen->match(*m, scratch, matches);
      expected.push_back(stable_only(matches));
    }
  }
  std::vector<UserRules> churn;
  for (UserId i = 0; i < 60; ++i) churn.push_back(maker.user(kChurnBase + i));

  std::atomic<bool> done{false};
  std::atomic<uint64_t> rounds{0};
  std::thread writer([&] {
    std::mt19937 rng(3);
    for (int step = 0; step < 400; ++step) {
      UserRules u = churn[rng() % churn.size()];
      if (rng() % 3 == 0) {
        engine.value()->update({}, {u.id});
      } else {
        engine.value()->update({std::move(u)}, {});
      }
    }
    done = true;
  });
  std::vector<std::thread> readers;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      MatchScratch scratch;
      while (!done) {
        for (size_t i = 0; i < corpus_messages().size(); ++i) {
          auto gen = engine.value()->current();
          std::vector<Match> matches;
          gen->match(*corpus_messages()[i], scratch, matches);
          if (stable_only(matches) != expected[i]) ++mismatches;
        }
        ++rounds;
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  engine.value()->wait_idle();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_GT(rounds.load(), 0u);
  EXPECT_GE(engine.value()->stats().generations, 400u);
  EXPECT_GT(engine.value()->stats().compactions, 0u);
}

}  // namespace
}  // namespace fmn::engine
