// Segment: every (user, rule) becomes one record, contiguous per user and in rule order, each
// rule interned once and indexed by the keys it has for its user; a generation over a base and
// a delta segment matches each live user once, never a removed one.
#include "engine/segment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "engine/generation.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::engine {
namespace {

using testing_support::compile_one;

std::shared_ptr<const dsl::CompiledRule> rule(const std::string& test) {
  auto r = compile_one("rule \"r\" = " + test + "\n");
  EXPECT_NE(r, nullptr) << test;
  return r;
}

UserRules user(UserId id, std::string me, std::vector<std::string> packages,
               std::vector<std::shared_ptr<const dsl::CompiledRule>> rules) {
  UserRules u;
  u.id = id;
  u.name = me;
  u.params.me = std::move(me);
  u.params.my_packages = std::move(packages);
  u.params.normalize();
  for (auto& r : rules) u.rules.push_back(RuleSpec{std::move(r), 0, 1, "r"});
  return u;
}

using Users = std::vector<UserRules>;

std::unique_ptr<Message> message(std::string_view topic, std::vector<std::string> packages,
                                 std::vector<std::string> usernames = {}) {
  auto m = std::make_unique<Message>();
  m->topic = topic;
  m->meta.packages = std::move(packages);
  m->meta.usernames = std::move(usernames);
  return m;
}

// The names of the users a generation matches for `m`, with the rule index, in order.
std::vector<std::pair<std::string, uint16_t>> matched(const Generation& g, const Message& m) {
  MatchScratch scratch;
  std::vector<Match> out;
  g.match(m, scratch, out);
  std::vector<Match> naive;
  g.match_naive(m, naive);
  EXPECT_EQ(out.size(), naive.size()) << "the index and the baseline disagree";
  std::vector<std::pair<std::string, uint16_t>> names;
  for (const Match& x : out) names.emplace_back(x.user_name(), x.rule_index);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Segment, AnEmptySegmentHasNoRecords) {
  RuleTable table;
  auto empty = Segment::build(Users{}, table);
  EXPECT_TRUE(empty->users().empty());
  EXPECT_TRUE(empty->records().empty());
  EXPECT_EQ(empty->index().keys(), 0u);
  auto no_rules = Segment::build(Users{user(1, "ralph", {}, {})}, table);
  EXPECT_EQ(no_rules->users().size(), 1u);
  EXPECT_TRUE(no_rules->records().empty());
  EXPECT_EQ(table.size(), 0u);
}

TEST(Segment, RecordsAreContiguousPerUserAndInRuleOrder) {
  RuleTable table;
  auto mine = rule("packages in $my_packages");
  auto bodhi = rule("topic ~ \"*.bodhi.*\"");
  auto seg = Segment::build(Users{user(1, "ralph", {"kernel"}, {mine, bodhi}),
                                  user(2, "bowlofeggs", {"nethack"}, {bodhi})},
                            table);
  ASSERT_EQ(seg->records().size(), 3u);
  EXPECT_EQ(seg->records()[0].user, seg->users().slot_at(0));
  EXPECT_EQ(seg->records()[0].rule_index, 0u);
  EXPECT_EQ(seg->records()[1].user, seg->users().slot_at(0));
  EXPECT_EQ(seg->records()[1].rule_index, 1u);
  EXPECT_EQ(seg->records()[2].user, seg->users().slot_at(1));
  EXPECT_EQ(seg->records()[2].rule_index, 0u);
  // One rule shared by two users is one interned rule.
  EXPECT_EQ(seg->records()[1].rule, seg->records()[2].rule);
  EXPECT_EQ(&seg->records()[0].rule->rule(), mine.get());
  EXPECT_EQ(table.size(), 2u);
}

TEST(Segment, RecordsAreIndexedByTheirUsersKeys) {
  RuleTable table;
  auto mine = rule("packages in $my_packages");
  auto unindexable = rule("not topic ~ \"*.koji.*\"");
  auto never = rule("$me in usernames");  // a user without $me can never match it
  auto seg = Segment::build(
      Users{user(1, "ralph", {"kernel", "nethack"}, {mine}),
            user(2, "bowlofeggs", {"kernel"}, {mine, unindexable}), user(3, "", {}, {never})},
      table);
  EXPECT_EQ(seg->index().always_count(), 1u);  // bowlofeggs' negation
  EXPECT_EQ(seg->index().postings(), 3u);      // kernel: 2 records, nethack: 1; `never`: none
  std::set<uint32_t> reached;
  seg->index().for_each_hit(*message("t", {"kernel"}), [&](std::span<const uint32_t> ids) {
    reached.insert(ids.begin(), ids.end());
  });
  EXPECT_EQ(reached, (std::set<uint32_t>{0, 1, 2}));  // both kernel followers, the negation
}

TEST(Generation, MatchesEachLiveUserOnceAndNoRemovedOne) {
  auto table = std::make_shared<RuleTable>();
  auto mine = rule("packages in $my_packages");
  auto or_me = rule("packages in $my_packages or $me in usernames");  // two keys, one record
  auto base = Segment::build(
      Users{user(1, "ralph", {"kernel"}, {mine}), user(2, "bowlofeggs", {"kernel"}, {or_me}),
            user(3, "adamw", {"kernel"}, {mine})},
      *table);
  // adamw (slot 2) is removed; ralph (slot 0) is edited: his new rules live in the delta.
  auto delta = Segment::build(Users{user(1, "ralph", {"nethack"}, {mine})}, *table);
  Generation g(table, base, delta, {base->users().slot_at(0), base->users().slot_at(2)}, false, 1);
  EXPECT_EQ(g.live_records(), 2u);

  auto both = message("t", {"kernel", "nethack"}, {"bowlofeggs"});
  EXPECT_EQ(matched(g, *both),
            (std::vector<std::pair<std::string, uint16_t>>{{"bowlofeggs", 0}, {"ralph", 0}}));
  EXPECT_TRUE(matched(g, *message("t", {"python3"})).empty());
  EXPECT_EQ(matched(g, *message("t", {"kernel"})),
            (std::vector<std::pair<std::string, uint16_t>>{{"bowlofeggs", 0}}));

  // An empty generation matches nothing.
  Generation none(table, Segment::build(Users{}, *table), Segment::build(Users{}, *table), {},
                  false, 0);
  EXPECT_EQ(none.live_records(), 0u);
  EXPECT_TRUE(matched(none, *both).empty());
}

}  // namespace
}  // namespace fmn::engine
