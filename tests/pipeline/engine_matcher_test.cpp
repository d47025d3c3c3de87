// The pipeline's view: notifications per destination, naming the user's first matching rule
// and carrying its digest policy.
#include "pipeline/engine_matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "tests/engine/engine_fixture.h"

namespace fmn::pipeline {
namespace {

using namespace fmn::engine;

TEST(EngineMatcher, OneNotificationPerDestinationNamingTheFirstMatchingRule) {
  auto engine = RuleEngine::create(EngineOptions{EngineMode::kJit});
  ASSERT_TRUE(engine.ok());
  auto bodhi = testing_support::compile_one("rule \"bodhi\" = topic ~ \"*.bodhi.*\"\n");
  auto mine = testing_support::compile_one("rule \"mine\" = $me in usernames\n");
  auto never = testing_support::compile_one("rule \"never\" = topic == \"nothing\"\n");
  ASSERT_TRUE(bodhi && mine && never);
  // A bodhi message about someone: that someone gets both rules' notifications.
  const Message* both = nullptr;
  for (const auto& m : testing_support::corpus_messages()) {
    if (m->topic.find(".bodhi.") != std::string_view::npos && !m->meta.usernames.empty()) {
      both = m.get();
      break;
    }
  }
  ASSERT_NE(both, nullptr);
  UserRules u;
  u.id = 3;
  u.name = both->meta.usernames[0];
  u.params.me = u.name;
  u.destinations = {{DestinationKind::kEmail, "b@example.org"}, {DestinationKind::kIrc, "bowl"}};
  u.rules = {{never, 30, 3}, {bodhi, 31, 1}, {mine, 32, 3}};
  // Each notification carries the digest policy of its rule and destination.
  u.rules[1].digests = {{0, DigestPolicy{std::chrono::hours(1), 0}}};
  u.rules[2].digests = {{0, DigestPolicy{std::chrono::minutes(1), 0}}, {1, DigestPolicy{{}, 5}}};
  engine.value()->replace_all({u});
  EngineMatcher matcher(*engine.value());

  // A MessagePtr that does not own the corpus message.
  MessagePtr ptr(std::shared_ptr<const Message>(), both);
  std::vector<Notification> out;
  matcher.match(ptr, out);
  ASSERT_EQ(out.size(), 2u);
  std::sort(out.begin(), out.end(), [](const Notification& a, const Notification& b) {
    return a.destination < b.destination;
  });
  EXPECT_EQ(out[0].destination, DestinationKind::kEmail);
  EXPECT_EQ(out[0].rule_name(), "bodhi");
  EXPECT_EQ(out[0].rule_id, 31u);
  EXPECT_EQ(out[0].address(), "b@example.org");
  EXPECT_EQ(out[0].digest.every, std::chrono::hours(1));
  EXPECT_EQ(out[1].destination, DestinationKind::kIrc);
  EXPECT_EQ(out[1].rule_name(), "mine");
  EXPECT_EQ(out[1].user(), u.name);
  EXPECT_EQ(out[1].digest.count, 5u);
  EXPECT_EQ(out[1].digest.every.count(), 0);
  EXPECT_EQ(out[1].message.get(), both);
}

// A notification names its user, rule and destination with the engine's own strings, not copies
// made per recipient; it keeps them alive after the user is gone from the engine, and the engine
// with it.
TEST(EngineMatcher, NotificationsShareTheEnginesNamesAndKeepThemAlive) {
  auto engine = RuleEngine::create(EngineOptions{EngineMode::kInterp});
  ASSERT_TRUE(engine.ok());
  auto every = testing_support::compile_one("rule \"everything\" = true\n");
  ASSERT_TRUE(every);
  UserRules u;
  u.id = 9;
  u.name = "a-user-name-longer-than-a-short-string";
  u.params.me = u.name;
  u.destinations = {{DestinationKind::kEmail, "an-address-longer-than-a-short-string@example.org"}};
  u.rules = {{every, 40, 1}};
  engine.value()->replace_all({u});
  EngineMatcher matcher(*engine.value());

  const auto& corpus = testing_support::corpus_messages();
  ASSERT_GE(corpus.size(), 2u);
  std::vector<Notification> out;
  for (int i = 0; i < 2; ++i) matcher.match(MessagePtr(MessagePtr(), corpus[i].get()), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].user().data(), out[1].user().data());
  EXPECT_EQ(out[0].address().data(), out[1].address().data());
  EXPECT_EQ(out[0].rule_name().data(), out[1].rule_name().data());

  engine.value()->replace_all({});
  engine.value().reset();
  EXPECT_EQ(out[1].user(), "a-user-name-longer-than-a-short-string");
  EXPECT_EQ(out[1].rule_name(), "everything");
  EXPECT_EQ(out[1].address(), "an-address-longer-than-a-short-string@example.org");
}

// Compaction packs the base users it keeps again: their notifications name the same user,
// rules, destinations and digest policies as before.
TEST(EngineMatcher, ACompactedBaseNotifiesAsTheUsersWereGiven) {
  EngineOptions options{EngineMode::kInterp};
  options.compact_after = 1;
  auto engine = RuleEngine::create(options);
  ASSERT_TRUE(engine.ok());
  auto every = testing_support::compile_one("rule \"everything\" = true\n");
  auto other = testing_support::compile_one("rule \"other\" = topic == \"nothing\"\n");
  ASSERT_TRUE(every && other);
  UserRules u;
  u.id = 5;
  u.name = "ralph";
  u.params.me = "not-ralph";
  u.params.my_packages = {"kernel", "nethack"};
  u.params.followed_packages = {"kernel", "nethack"};
  u.params.normalize();
  u.destinations = {{DestinationKind::kEmail, "ralph@example.org"},
                    {DestinationKind::kIrc, "ralph"},
                    {DestinationKind::kSse, "feed"}};
  u.rules = {{other, 50, 7, "never"}, {every, 51, 7, "all of it"}};
  u.rules[1].digests = {{1, DigestPolicy{std::chrono::minutes(5), 3}}};
  engine.value()->replace_all({u});
  EngineMatcher matcher(*engine.value());
  MessagePtr m(MessagePtr(), testing_support::corpus_messages()[0].get());

  using Seen = std::tuple<DestinationKind, std::string, uint32_t, std::string, std::string, int64_t,
                          uint32_t>;
  auto seen = [&] {
    std::vector<Notification> out;
    matcher.match(m, out);
    std::vector<Seen> s;
    for (const Notification& n : out) {
      s.emplace_back(n.destination, std::string(n.user()), n.rule_id, std::string(n.rule_name()),
                     std::string(n.address()), n.digest.every.count(), n.digest.count);
    }
    std::sort(s.begin(), s.end());
    return s;
  };
  const std::vector<Seen> before = seen();
  ASSERT_EQ(before.size(), 3u);
  EXPECT_EQ(std::get<3>(before[0]), "all of it");
  EXPECT_EQ(std::get<6>(before[1]), 3u);  // IRC: the digest policy

  UserRules v;
  v.id = 6;
  v.name = "kevin";
  v.params.me = "kevin";
  engine.value()->update({v}, {});  // the delta reaches compact_after: a new base
  engine.value()->wait_idle();
  ASSERT_EQ(engine.value()->stats().compactions, 1u);
  EXPECT_EQ(engine.value()->current()->base().users().size(), 2u);
  EXPECT_EQ(seen(), before);
}

}  // namespace
}  // namespace fmn::pipeline
