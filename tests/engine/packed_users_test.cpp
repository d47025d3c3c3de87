// PackedUsers: what is packed reads back as it was given (parameters, names, destinations,
// rules, digests), a rule reading only `$me` gets `$me` and empty lists, two equal lists are
// stored once, and a keeper keeps the names a notification refers to after the store is gone.
#include "engine/packed_users.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/rule_table.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::engine {
namespace {

using testing_support::compile_one;

std::vector<std::string> texts(std::span<const dsl::InternedString> list) {
  return {list.begin(), list.end()};
}

std::vector<std::string> texts(const dsl::ParamList& list) { return {list.begin(), list.end()}; }

class PackedUsersTest : public ::testing::Test {
 protected:
  PackedUsersTest() {
    mine_ = table_.intern(compile_one("rule \"mine\" = packages in $my_packages\n"));
    lists_ = table_.intern(compile_one("rule \"lists\" = topic ~ $lists.watched\n"));

    // Everything set, and a name that is not $me.
    UserRules& a = users_.emplace_back();
    a.id = 7;
    a.name = "a-user-name-longer-than-a-short-string";
    a.params.me = "ralph";
    a.params.my_packages = {"kernel", "nethack"};
    a.params.followed_packages = {"kernel", "nethack"};  // as the store fills it: stored once
    a.params.my_groups = {"kernel-sig"};
    a.params.followed_users = {"kevin"};
    a.params.lists.push_back(dsl::UserList{"watched", {"*.bodhi.*"}, nullptr});
    a.params.normalize();
    a.destinations = {{DestinationKind::kEmail, "ralph@example.org"},
                      {DestinationKind::kIrc, "ralph"},
                      {DestinationKind::kSse, std::string(300, 'f')}};
    DigestPolicy hourly;
    hourly.every = std::chrono::hours(1);
    a.rules.push_back(RuleSpec{mine_->shared_rule(), 11, 0b011, "my own name", {{1, hourly}}});
    a.rules.push_back(RuleSpec{lists_->shared_rule(), 12, 0b100, "", {}});

    // Nearly nothing: $me is the name, no lists, one destination, no rules.
    UserRules& b = users_.emplace_back();
    b.id = 8;
    b.name = "bob";
    b.params.me = "bob";
    b.destinations = {{DestinationKind::kEmail, "bob@example.org"}};

    // An empty $me, though the account has a name.
    UserRules& c = users_.emplace_back();
    c.id = 9;
    c.name = "carol";
    c.rules.push_back(RuleSpec{mine_->shared_rule(), 13, 0, "", {}});

    PackedUsers::Builder builder;
    for (const UserRules& u : users_) {
      std::vector<const InternedRule*> interned;
      for (const RuleSpec& r : u.rules)
        interned.push_back(r.rule == mine_->shared_rule() ? mine_ : lists_);
      slots_.push_back(builder.add(u, interned));
    }
    packed_ = std::make_unique<PackedUsers>(std::move(builder).build());
  }

  RuleTable table_;
  const InternedRule* mine_;
  const InternedRule* lists_;
  std::vector<UserRules> users_;
  std::vector<uint32_t> slots_;
  std::unique_ptr<PackedUsers> packed_;
};

TEST_F(PackedUsersTest, UsersAreInTheOrderAdded) {
  ASSERT_EQ(packed_->size(), users_.size());
  for (size_t i = 0; i < users_.size(); ++i) {
    EXPECT_EQ(packed_->slot_at(i), slots_[i]);
    EXPECT_EQ(packed_->id(slots_[i]), users_[i].id);
    EXPECT_EQ(packed_->name(slots_[i]), users_[i].name);
    EXPECT_EQ(packed_->rules(slots_[i]).size(), users_[i].rules.size());
  }
}

TEST_F(PackedUsersTest, ParametersReadAsGiven) {
  for (size_t i = 0; i < users_.size(); ++i) {
    const dsl::UserParams& given = users_[i].params;
    const dsl::ParamsView got = packed_->params(slots_[i]);
    EXPECT_EQ(got.me, given.me) << i;
    for (const dsl::ParamInfo& p : dsl::all_params()) {
      if (p.type != dsl::ValueType::kList) continue;
      EXPECT_EQ(texts(got.list(p.id)), texts(given.list(p.id))) << i << " $" << p.name;
    }
    EXPECT_EQ(got.user_list("watched"), given.user_list("watched")) << i;
    EXPECT_TRUE(got.user_list("other").empty());
  }
  // The same list twice is stored once.
  const dsl::ParamsView a = packed_->params(slots_[0]);
  EXPECT_EQ(a.list(dsl::ParamId::kFollowedPackages).data(),
            a.list(dsl::ParamId::kMyPackages).data());
  // A named list's patterns are the ones given (compiled once, shared).
  EXPECT_EQ(&a.user_list_globs("watched", false),
            &users_[0].params.view().user_list_globs("watched", false));
}

TEST_F(PackedUsersTest, WithoutListsOnlyMeIsRead) {
  const dsl::ParamsView a = packed_->params(slots_[0], false);
  EXPECT_EQ(a.me, "ralph");
  for (const dsl::ParamInfo& p : dsl::all_params()) {
    if (p.type == dsl::ValueType::kList) {
      EXPECT_TRUE(a.list(p.id).empty()) << p.name;
    }
  }
  EXPECT_TRUE(a.user_lists.empty());
  EXPECT_EQ(packed_->params(slots_[1], false).me, "bob");
  EXPECT_EQ(packed_->params(slots_[2], false).me, "");
}

TEST_F(PackedUsersTest, ContactRulesAndDigestsReadAsGiven) {
  PackedContact contact;
  packed_->contact(slots_[0], contact);
  EXPECT_EQ(contact.name, users_[0].name);
  ASSERT_EQ(contact.count, 3u);
  for (size_t d = 0; d < 3; ++d) {
    EXPECT_EQ(contact.destinations[d].kind, users_[0].destinations[d].kind);
    EXPECT_EQ(contact.destinations[d].address, users_[0].destinations[d].address);
  }
  std::span<const PackedRule> rules = packed_->rules(slots_[0]);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].rule, mine_);
  EXPECT_EQ(rules[0].rule_id, 11u);
  EXPECT_EQ(rules[0].destinations, 0b011u);
  EXPECT_EQ(packed_->rule_name(rules[0]), "my own name");
  EXPECT_EQ(packed_->rule_name(rules[1]), "lists");  // unnamed: the rule's own name
  EXPECT_TRUE(packed_->digest_for(rules[0], 0).immediate());
  EXPECT_EQ(packed_->digest_for(rules[0], 1).every, std::chrono::hours(1));
  EXPECT_TRUE(packed_->digest_for(rules[1], 2).immediate());

  packed_->contact(slots_[2], contact);
  EXPECT_EQ(contact.name, "carol");
  EXPECT_EQ(contact.count, 0u);
}

TEST_F(PackedUsersTest, UnpackGivesBackTheUser) {
  for (size_t i = 0; i < users_.size(); ++i) {
    const UserRules& given = users_[i];
    const UserRules got = packed_->unpack(slots_[i]);
    EXPECT_EQ(got.id, given.id);
    EXPECT_EQ(got.name, given.name);
    EXPECT_EQ(got.params.me, given.params.me);
    for (const dsl::ParamInfo& p : dsl::all_params()) {
      if (p.type == dsl::ValueType::kList) {
        EXPECT_EQ(texts(got.params.list(p.id)), texts(given.params.list(p.id))) << p.name;
      }
    }
    ASSERT_EQ(got.params.lists.size(), given.params.lists.size());
    for (size_t l = 0; l < got.params.lists.size(); ++l) {
      EXPECT_EQ(got.params.lists[l].name, given.params.lists[l].name);
      EXPECT_EQ(got.params.lists[l].items, given.params.lists[l].items);
    }
    ASSERT_EQ(got.destinations.size(), given.destinations.size());
    for (size_t d = 0; d < got.destinations.size(); ++d) {
      EXPECT_EQ(got.destinations[d].kind, given.destinations[d].kind);
      EXPECT_EQ(got.destinations[d].address, given.destinations[d].address);
    }
    ASSERT_EQ(got.rules.size(), given.rules.size());
    for (size_t r = 0; r < got.rules.size(); ++r) {
      const RuleSpec& g = given.rules[r];
      EXPECT_EQ(got.rules[r].rule, g.rule);
      EXPECT_EQ(got.rules[r].rule_id, g.rule_id);
      EXPECT_EQ(got.rules[r].destinations, g.destinations);
      EXPECT_EQ(got.rules[r].name, g.name.empty() ? g.rule->name : g.name);
      ASSERT_EQ(got.rules[r].digests.size(), g.digests.size());
      for (size_t d = 0; d < g.digests.size(); ++d) {
        EXPECT_EQ(got.rules[r].digests[d].destination, g.digests[d].destination);
        EXPECT_EQ(got.rules[r].digests[d].policy.every, g.digests[d].policy.every);
      }
    }
  }
}

TEST_F(PackedUsersTest, AKeeperKeepsTheNamesAfterTheStoreIsGone) {
  std::shared_ptr<const void> keeper = packed_->keeper(slots_[0]);
  PackedContact contact;
  packed_->contact(slots_[0], contact);
  std::string_view rule_name = packed_->rule_name(packed_->rules(slots_[0])[0]);
  packed_.reset();
  // Under AddressSanitizer a freed text would be reported here.
  EXPECT_EQ(contact.name, "a-user-name-longer-than-a-short-string");
  EXPECT_EQ(contact.destinations[2].address, std::string(300, 'f'));
  EXPECT_EQ(rule_name, "my own name");
}

}  // namespace
}  // namespace fmn::engine
