// Edits build the next generation from a delta; after any sequence of edits (inserts, changes,
// removals, with compactions folding the delta into the base) matching gives what a full
// rebuild from the same users gives.
#include <gtest/gtest.h>

#include <map>

#include "engine/rule_engine.h"
#include "tests/engine/engine_fixture.h"

namespace fmn::engine {
namespace {

using testing_support::corpus_messages;

std::vector<MatchSet> match_all(const Generation& gen) {
  MatchScratch scratch;
  std::vector<MatchSet> out;
  for (const auto& m : corpus_messages()) {
    std::vector<Match> matches;
    gen.match(*m, scratch, matches);
    out.push_back(as_set(matches));
  }
  return out;
}

class Compaction : public testing::TestWithParam<size_t> {};

TEST_P(Compaction, EditsEqualAFullRebuild) {
  auto edited = RuleEngine::create(EngineOptions{EngineMode::kInterp, {}, GetParam()});
  auto rebuilt = RuleEngine::create(EngineOptions{EngineMode::kInterp});
  ASSERT_TRUE(edited.ok() && rebuilt.ok());
  PopulationMaker maker(33);
  std::map<UserId, UserRules> truth;
  for (UserRules& u : maker.users(500)) truth.emplace(u.id, u);
  std::vector<UserRules> initial;
  for (const auto& [id, u] : truth) initial.push_back(u);
  edited.value()->replace_all(std::move(initial));
  uint64_t first_serial = edited.value()->current()->serial();

  std::mt19937 rng(4);
  for (int step = 0; step < 300; ++step) {
    UserId id = 1 + rng() % 700;  // beyond 500: new users
    if (rng() % 4 == 0) {
      truth.erase(id);
      edited.value()->update({}, {id});
    } else {
      UserRules u = maker.user(id);
      truth[id] = u;
      edited.value()->update({std::move(u)}, {});
    }
  }
  edited.value()->wait_idle();
  EXPECT_GE(edited.value()->current()->serial(), first_serial + 300);
  std::vector<UserRules> final_users;
  for (const auto& [id, u] : truth) final_users.push_back(u);
  rebuilt.value()->replace_all(std::move(final_users));
  auto a = match_all(*edited.value()->current());
  auto b = match_all(*rebuilt.value()->current());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << corpus_messages()[i]->topic;
  EXPECT_EQ(edited.value()->current()->live_records(), rebuilt.value()->current()->live_records());
  if (GetParam() < 300) {
    EXPECT_GT(edited.value()->stats().compactions, 0u);
  }
}

// No compaction (delta only), and compactions every few edits.
INSTANTIATE_TEST_SUITE_P(Thresholds, Compaction, testing::Values(100000, 40));

TEST(RuleEngine, AnEditIsVisibleInTheNextGenerationAndOldOnesStayValid) {
  auto engine = RuleEngine::create(EngineOptions{EngineMode::kInterp});
  ASSERT_TRUE(engine.ok());
  auto rule = testing_support::compile_one("rule \"mine\" = $me in usernames\n");
  UserRules u{7, "ralph", {}, {{DestinationKind::kEmail, "r@example.org"}}, {{rule, 70, 1}}};
  u.params.me = "ralph";
  engine.value()->replace_all({u});
  auto before = engine.value()->current();
  u.params.me = "nobody-at-all";
  engine.value()->update({u}, {});
  auto after = engine.value()->current();
  size_t hits_before = 0, hits_after = 0;
  MatchScratch scratch;
  for (const auto& m : corpus_messages()) {
    std::vector<Match> a, b;
    before->match(*m, scratch, a);
    after->match(*m, scratch, b);
    hits_before += a.size();
    hits_after += b.size();
  }
  EXPECT_GT(hits_before, 0u);  // the old generation still answers as before the edit
  EXPECT_EQ(hits_after, 0u);
}

}  // namespace
}  // namespace fmn::engine
