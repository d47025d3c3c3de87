// Index keys: what a rule, bound to a user, cannot match without.
#include "engine/index_keys.h"

#include <gtest/gtest.h>

#include "tests/codegen/test_corpus.h"

namespace fmn::engine {
namespace {

using dsl::FieldId;
using Kind = IndexKey::Kind;

std::optional<std::vector<IndexKey>> keys(const std::string& test, const dsl::UserParams& p) {
  auto rule = testing_support::compile_one("rule \"r\" = " + test + "\n");
  EXPECT_NE(rule, nullptr) << test;
  return rule ? rule_keys(*rule, p) : std::nullopt;
}

dsl::UserParams ralph() {
  dsl::UserParams p;
  p.me = "ralph";
  p.my_packages = {"kernel", "nethack"};
  return p;
}

TEST(RuleKeys, ParametersBecomeOneKeyPerValue) {
  auto k = keys("packages in $my_packages and not $me in usernames", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kPackages, "kernel"},
                                       {Kind::kField, FieldId::kPackages, "nethack"}}));
}

TEST(RuleKeys, ANamedListIsKeyedLikeAListParameter) {
  dsl::UserParams p = ralph();
  p.lists = {{"friends", {"kevin", "adamw"}}, {"nobody", {}}};
  p.normalize();
  auto k = keys("any usernames in $lists.friends and topic ~ \"*.bodhi.*\"", p);
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kUsernames, "adamw"},
                                       {Kind::kField, FieldId::kUsernames, "kevin"}}));
  k = keys("agent in $lists.friends", p);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->size(), 2u);
  // An empty or missing list: the rule never matches this user, and costs the index nothing.
  for (const char* list : {"$lists.nobody", "$lists.missing"}) {
    k = keys(std::string("agent in ") + list, p);
    ASSERT_TRUE(k) << list;
    EXPECT_TRUE(k->empty()) << list;
  }
  auto rule = testing_support::compile_one("rule \"r\" = agent in $lists.friends\n");
  ASSERT_NE(rule, nullptr);
  EXPECT_TRUE(keys_prove(*rule));  // the keys alone decide: no evaluation needed
}

// `topic ~ $lists.NAME` is keyed as the literal list of the user's globs would be: a glob per
// pattern, an exact topic per entry without wildcards, nothing for an empty or missing list.
TEST(RuleKeys, GlobsFromANamedListAreTheUsersOwnKeys) {
  dsl::UserParams p = ralph();
  p.lists = {{"watched", {"*.bodhi.*", "org.fedoraproject.prod.git.receive", "*.bodhi.*"}},
             {"long", {std::string(300, '*'), "*.copr.*"}},
             {"nobody", {}}};
  p.normalize();
  auto k = keys("topic ~ $lists.watched", p);
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{
                    {Kind::kTopicGlob, FieldId::kTopic, "*.bodhi.*"},
                    {Kind::kField, FieldId::kTopic, "org.fedoraproject.prod.git.receive"}}));
  k = keys("topic ~ $lists.long", p);  // an entry that is no pattern matches nothing: no key
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kTopicGlob, FieldId::kTopic, "*.copr.*"}}));
  for (const char* list : {"$lists.nobody", "$lists.missing"}) {
    k = keys(std::string("topic ~ ") + list, p);
    ASSERT_TRUE(k) << list;
    EXPECT_TRUE(k->empty()) << list;
  }
  // As for literals: ignoring case, regexes and globs of other fields give no keys.
  EXPECT_FALSE(keys("topic ~* $lists.watched", p));
  EXPECT_FALSE(keys("topic matches $lists.watched", p));
  EXPECT_FALSE(keys("agent ~ $lists.watched", p));
}

TEST(RuleKeys, AndPicksTheMostSelectiveChild) {
  auto k = keys("topic ~ \"*.bodhi.*\" and agent == $me", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kAgent, "ralph"}}));
}

TEST(RuleKeys, OrNeedsEveryBranch) {
  auto k = keys("category == \"git\" or topic endswith \".tag\"", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kCategory, "git"},
                                       {Kind::kTopicGlob, FieldId::kTopic, "*.tag"}}));
  EXPECT_FALSE(keys("category == \"git\" or msg.a == \"b\"", ralph()));
}

TEST(RuleKeys, NegationsAndBodyTestsAreUnindexable) {
  EXPECT_FALSE(keys("not topic ~ \"*.koji.*\"", ralph()));
  EXPECT_FALSE(keys("msg.update.status == \"stable\"", ralph()));
  EXPECT_FALSE(keys("topic startswith \"\"", ralph()));
}

TEST(RuleKeys, AnyOverAListFieldIsTheInItAmountsTo) {
  auto k = keys("any packages == \"kernel\"", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kPackages, "kernel"}}));
  k = keys("any usernames == $me", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kUsernames, "ralph"}}));
  k = keys("any packages in $my_packages", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kPackages, "kernel"},
                                       {Kind::kField, FieldId::kPackages, "nethack"}}));
  k = keys("any $my_packages == agent", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kAgent, "kernel"},
                                       {Kind::kField, FieldId::kAgent, "nethack"}}));
  // `all` may hold where `any` would, but gives no keys; nor do the body and other operators.
  EXPECT_FALSE(keys("all packages == \"kernel\"", ralph()));
  EXPECT_FALSE(keys("all packages in $my_packages", ralph()));
  EXPECT_FALSE(keys("any msg.tags == \"kernel\"", ralph()));
  EXPECT_FALSE(keys("any packages startswith \"kernel\"", ralph()));
  EXPECT_FALSE(keys("any packages ==* \"kernel\"", ralph()));
}

TEST(RuleKeys, ExactGlobsAreTopicKeys) {
  auto k = keys("topic ~ [\"org.x.prod.a\", \"*.b\"]", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kTopicGlob, FieldId::kTopic, "*.b"},
                                       {Kind::kField, FieldId::kTopic, "org.x.prod.a"}}));
}

TEST(RuleKeys, AMissingParameterMeansNeverAMatch) {
  dsl::UserParams nobody;
  auto k = keys("$me in usernames", nobody);
  ASSERT_TRUE(k);
  EXPECT_TRUE(k->empty());
  k = keys("packages in $my_packages", nobody);
  ASSERT_TRUE(k);
  EXPECT_TRUE(k->empty());
}

// The index holds values as messages spell them: a test ignoring case narrows nothing, and an
// `and` takes its keys from another child.
TEST(RuleKeys, TestsIgnoringCaseGiveNoKeys) {
  for (const char* test :
       {"agent ==* $me", "packages in* $my_packages", "$me in* usernames", "topic ~* \"*.bodhi.*\"",
        "topic startswith* \"org.\"", "category ==* \"git\" or $me in usernames"}) {
    EXPECT_FALSE(keys(test, ralph())) << test;
  }
  auto k = keys("agent ==* $me and category == \"git\"", ralph());
  ASSERT_TRUE(k);
  EXPECT_EQ(*k, (std::vector<IndexKey>{{Kind::kField, FieldId::kCategory, "git"}}));
}

bool proven(const std::string& test) {
  auto rule = testing_support::compile_one("rule \"r\" = " + test + "\n");
  EXPECT_NE(rule, nullptr) << test;
  return rule && keys_prove(*rule);
}

TEST(KeysProve, MembershipTestsAndOrsOfThemAreProvenByTheirKeys) {
  EXPECT_TRUE(proven("packages in $my_packages"));
  EXPECT_TRUE(proven("$me in usernames"));
  EXPECT_TRUE(proven("agent == $me"));
  EXPECT_TRUE(proven("agent in $followed_users or usernames in $followed_users"));
  EXPECT_TRUE(proven("category == \"git\""));
}

TEST(KeysProve, AnythingElseIsEvaluated) {
  EXPECT_FALSE(proven("packages in $my_packages and $me in usernames"));
  EXPECT_FALSE(proven("not $me in usernames"));
  EXPECT_FALSE(proven("topic ~ \"*.bodhi.*\""));
  EXPECT_FALSE(proven("topic endswith \".tag\" or $me in usernames"));
  EXPECT_FALSE(proven("msg.update.status == \"stable\""));
  EXPECT_FALSE(proven("agent in usernames"));
  EXPECT_FALSE(proven("packages in* $my_packages"));
  EXPECT_FALSE(proven("agent ==* $me"));
  EXPECT_FALSE(proven("any packages in $my_packages"));  // keyed, but still evaluated
  EXPECT_FALSE(proven("all packages in $my_packages"));
}

}  // namespace
}  // namespace fmn::engine
