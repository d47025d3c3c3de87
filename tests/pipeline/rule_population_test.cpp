#include "pipeline/rule_population.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace fmn::pipeline {
namespace {

prefs::Destination destination(
    std::string name, DestinationKind kind, std::string address,
    prefs::ConfirmationState state = prefs::ConfirmationState::kConfirmed) {
  prefs::Destination d;
  d.name = std::move(name);
  d.kind = kind;
  d.address = std::move(address);
  d.confirmation.state = state;
  return d;
}

prefs::Rule rule(std::string name, std::string source, std::vector<prefs::Delivery> deliveries) {
  prefs::Rule r;
  r.name = std::move(name);
  r.source = std::move(source);
  r.deliveries = std::move(deliveries);
  return r;
}

prefs::Delivery to(std::string destination, uint32_t every_seconds = 0, uint32_t count = 0) {
  prefs::Delivery d;
  d.destination = std::move(destination);
  d.digest.every_seconds = every_seconds;
  d.digest.count = count;
  return d;
}

prefs::User user(std::string name) {
  prefs::User u;
  u.name = std::move(name);
  u.packages = {"kernel", "bodhi"};
  u.destinations = {destination("email", DestinationKind::kEmail, u.name + "@example.org")};
  u.rules = {rule("mentions", "$me in usernames", {to("email")})};
  return u;
}

std::vector<prefs::User> many_users(size_t n) {
  std::vector<prefs::User> users;
  for (size_t i = 0; i < n; ++i) users.push_back(user("user" + std::to_string(i)));
  return users;
}

TEST(RulePopulation, ShardsPartitionUsersExactly) {
  const std::vector<prefs::User> users = many_users(500);
  const uint32_t count = 3;
  std::multiset<std::string> seen;
  for (uint32_t index = 0; index < count; ++index) {
    RulePopulation population(Shard{index, count});
    BuildReport report;
    std::vector<engine::UserRules> built = population.build(users, report);
    EXPECT_EQ(report.users, built.size());
    // Each shard gets a fair share, not all or nothing.
    EXPECT_GT(built.size(), users.size() / count / 2);
    for (const engine::UserRules& u : built) {
      EXPECT_TRUE(population.shard().owns(u.name));
      EXPECT_EQ(stable_user_hash(u.name) % count, index);
      seen.insert(u.name);
    }
  }
  ASSERT_EQ(seen.size(), users.size());
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), users.size()) << "no repeats";
}

TEST(RulePopulation, StableHashIsFnv1a) {
  // Fixed values: instances of different builds and hosts must agree on every user's shard.
  EXPECT_EQ(stable_user_hash(""), 14695981039346656037ULL);
  EXPECT_EQ(stable_user_hash("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_TRUE(Shard{}.owns("anyone"));
}

TEST(RulePopulation, PendingDestinationsReceiveNothing) {
  prefs::User u = user("kevin");
  u.destinations.push_back(
      destination("irc", DestinationKind::kIrc, "kevin", prefs::ConfirmationState::kPending));
  u.destinations.push_back(
      destination("feed", DestinationKind::kSse, "kevin", prefs::ConfirmationState::kRejected));
  u.rules = {rule("mentions", "$me in usernames", {to("irc"), to("email"), to("feed")}),
             rule("irc only", "category == \"bodhi\"", {to("irc")})};
  RulePopulation population(Shard{});
  BuildReport report;
  auto built = population.build({u}, report);
  ASSERT_EQ(built.size(), 1u);
  ASSERT_EQ(built[0].destinations.size(), 1u);
  EXPECT_EQ(built[0].destinations[0].kind, DestinationKind::kEmail);
  ASSERT_EQ(built[0].rules.size(), 2u);
  EXPECT_EQ(built[0].rules[0].destinations, 1u);  // the email only
  EXPECT_EQ(built[0].rules[1].destinations, 0u);  // its only destination is pending
}

TEST(RulePopulation, AnInvalidRuleIsLeftOutAndReportedWhileTheOthersStay) {
  prefs::User u = user("ralph");
  u.rules = {rule("good", "$me in usernames", {to("email")}),
             rule("broken", "topic ~ and (", {to("email")}),
             rule("also good", "category == \"buildsys\"", {to("email")})};
  prefs::User other = user("lmacken");
  other.rules.push_back(rule("same broken text", "topic ~ and (", {to("email")}));
  auto compiler = std::make_shared<dsl::RuleCompiler>();
  RulePopulation population(Shard{}, compiler);
  BuildReport report;
  auto built = population.build({u, other}, report);
  ASSERT_EQ(built.size(), 2u);
  ASSERT_EQ(built[0].rules.size(), 2u);
  EXPECT_EQ(built[0].rules[0].name, "good");
  EXPECT_EQ(built[0].rules[1].name, "also good");
  EXPECT_EQ(built[0].rules[1].rule_id, 2u);  // the store's index, kept
  ASSERT_EQ(built[1].rules.size(), 1u);
  EXPECT_EQ(report.rules, 3u);
  EXPECT_EQ(report.rules_rejected, 2u);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].rfind("user ralph, rule 'broken': ", 0), 0u) << report.errors[0];
  EXPECT_NE(report.errors[0].find("error"), std::string::npos) << report.errors[0];
  EXPECT_EQ(report.errors[1].rfind("user lmacken, rule 'same broken text': ", 0), 0u);
  EXPECT_EQ(compiler->stats().compilations, 3u);  // each distinct text once, rejections included
}

TEST(RulePopulation, DisabledUsersAndRulesAreLeftOut) {
  prefs::User off = user("off");
  off.enabled = false;
  prefs::User on = user("on");
  on.rules.push_back(rule("disabled", "category == \"git\"", {to("email")}));
  on.rules.back().enabled = false;
  RulePopulation population(Shard{});
  BuildReport report;
  auto built = population.build({off, on}, report);
  ASSERT_EQ(built.size(), 1u);
  EXPECT_EQ(built[0].name, "on");
  EXPECT_EQ(built[0].rules.size(), 1u);
  EXPECT_EQ(report.rules_rejected, 0u);
}

TEST(RulePopulation, DigestPolicyPerUserRuleAndDestination) {
  prefs::User u = user("ralph");
  u.destinations.push_back(destination("irc", DestinationKind::kIrc, "threebean"));
  u.rules = {rule("mentions", "$me in usernames", {to("email", 3600, 50), to("irc")}),
             rule("packages", "packages in $my_packages", {to("email", 86400)})};
  RulePopulation population(Shard{});
  BuildReport report;
  auto built = population.build({u, user("other")}, report);
  ASSERT_EQ(built.size(), 2u);
  // Destination 0 is the email, 1 the IRC nick; the policy travels with each rule.
  const engine::RuleSpec& mentions = built[0].rules[0];
  EXPECT_EQ(mentions.destinations, 3u);
  DigestPolicy p = mentions.digest_for(0);
  EXPECT_EQ(p.every, std::chrono::hours(1));
  EXPECT_EQ(p.count, 50u);
  EXPECT_TRUE(mentions.digest_for(1).immediate());
  p = built[0].rules[1].digest_for(0);
  EXPECT_EQ(p.every, std::chrono::hours(24));
  EXPECT_EQ(p.count, 0u);
  // The same rule of another user has its own policy.
  EXPECT_TRUE(built[1].rules[0].digest_for(0).immediate());
  EXPECT_TRUE(built[1].rules[0].digests.empty());
}

TEST(RulePopulation, QuietHoursSnoozesAndTimesOfDayTravelWithTheirDestinationsPolicies) {
  prefs::User u = user("petr");
  u.tz = "Europe/Prague";
  u.destinations[0].quiet = {22 * 60, 7 * 60};
  u.destinations.push_back(destination("irc", DestinationKind::kIrc, "petr"));
  prefs::Delivery morning = to("irc");
  morning.digest.at = 8 * 60;
  u.rules = {rule("all", "$me in usernames", {to("email"), morning})};
  RulePopulation population(Shard{});
  BuildReport report;
  auto built = population.build({u}, report);
  ASSERT_EQ(built.size(), 1u);
  const engine::RuleSpec& all = built[0].rules[0];
  // Immediate, but held in quiet hours: the email's policy carries its window.
  DigestPolicy email = all.digest_for(0);
  EXPECT_TRUE(email.immediate());
  ASSERT_NE(email.window, nullptr);
  EXPECT_EQ(*email.window, (DeliveryWindow{"Europe/Prague", 22 * 60, 7 * 60, 0}));
  // The IRC digest at 08:00 resolves the time in the user's zone.
  DigestPolicy irc = all.digest_for(1);
  EXPECT_EQ(irc.at, 8 * 60);
  ASSERT_NE(irc.window, nullptr);
  EXPECT_EQ(irc.window->tz, "Europe/Prague");
  EXPECT_FALSE(irc.window->has_quiet_hours());
  // A user's snooze reaches every destination; nothing of this applies to a plain user.
  u.snoozed_until = 1714600000;
  u.destinations[1].snoozed_until = 1714500000;
  built = population.build({u, user("other")}, report);
  EXPECT_EQ(built[0].rules[0].digest_for(1).window->snoozed_until, 1714600000);
  EXPECT_TRUE(built[1].rules[0].digests.empty());
}

TEST(RulePopulation, AUsersMuteReachesEveryDestinationADestinationsOnlyItself) {
  prefs::User u = user("petr");
  u.destinations.push_back(destination("irc", DestinationKind::kIrc, "petr"));
  u.rules = {rule("all", "$me in usernames", {to("email"), to("irc")})};
  RulePopulation population(Shard{});
  BuildReport report;
  // A destination's mute: only its notifications carry it; the other stays plain.
  u.destinations[1].muted_until = 1714600000;
  auto built = population.build({u}, report);
  ASSERT_EQ(built.size(), 1u);
  EXPECT_TRUE(built[0].rules[0].digest_for(0).plain());
  ASSERT_NE(built[0].rules[0].digest_for(1).window, nullptr);
  EXPECT_EQ(built[0].rules[0].digest_for(1).window->muted_until, 1714600000);
  // The user's mute reaches both; the later of the two instants wins.
  u.muted_until = 1714500000;
  built = population.build({u}, report);
  EXPECT_EQ(built[0].rules[0].digest_for(0).window->muted_until, 1714500000);
  EXPECT_EQ(built[0].rules[0].digest_for(1).window->muted_until, 1714600000);
}

TEST(RulePopulation, IdsAreStableAcrossRebuilds) {
  std::vector<prefs::User> users = many_users(50);
  RulePopulation population(Shard{});
  BuildReport report;
  std::map<std::string, engine::UserId> first;
  for (const auto& u : population.build(users, report)) first[u.name] = u.id;
  std::set<engine::UserId> distinct;
  for (const auto& [name, id] : first) distinct.insert(id);
  EXPECT_EQ(distinct.size(), users.size());

  // A rebuild with users reordered, one removed and one added keeps everyone's id.
  std::reverse(users.begin(), users.end());
  users.erase(users.begin() + 10);
  users.push_back(user("newcomer"));
  BuildReport again;
  for (const auto& u : population.build(users, again)) {
    if (u.name == "newcomer") {
      EXPECT_EQ(distinct.count(u.id), 0u) << "a new user gets a new id";
    } else {
      EXPECT_EQ(u.id, first.at(u.name)) << u.name;
    }
    EXPECT_EQ(population.id_of(u.name), u.id);
  }
}

TEST(RulePopulation, AnUpdateRebuildsOnlyTheChangedUsersAndKeepsTheTotals) {
  RulePopulation population(Shard{});
  BuildReport report;
  const std::vector<prefs::User> users = many_users(3);
  population.build(users, report);
  EXPECT_EQ(population.totals().users, 3u);
  EXPECT_EQ(population.totals().rules, 3u);

  prefs::User edited = users[1];
  edited.rules.push_back(rule("broken", "topic ==", {to("email")}));
  edited.rules.push_back(rule("builds", "topic ~ \"*.buildsys.*\"", {to("email", 3600)}));
  prefs::User disabled = users[2];
  disabled.enabled = false;
  BuildReport changed;
  PopulationUpdate update = population.update({{"user1", edited},
                                               {"user2", disabled},
                                               {"nobody", std::nullopt},
                                               {"newcomer", user("newcomer")}},
                                              changed);
  ASSERT_EQ(update.upserts.size(), 2u);
  EXPECT_EQ(update.upserts[0].name, "user1");
  EXPECT_EQ(update.upserts[0].id, population.id_of("user1"));  // the same id as before
  EXPECT_EQ(update.upserts[0].rules.size(), 2u);
  EXPECT_EQ(update.upserts[1].name, "newcomer");
  EXPECT_EQ(update.removals, std::vector<engine::UserId>{population.id_of("user2")});
  EXPECT_EQ(changed.users, 2u);
  EXPECT_EQ(changed.rules_rejected, 1u);
  // user0 as before, user1 with two rules (one rejected), user2 gone, newcomer.
  EXPECT_EQ(population.totals().users, 3u);
  EXPECT_EQ(population.totals().rules, 4u);
  EXPECT_EQ(population.totals().rules_rejected, 1u);
  EXPECT_EQ(update.upserts[0].rules[1].digest_for(0).every, std::chrono::hours(1));
}

TEST(RulePopulation, ParametersAreBoundFromPreferences) {
  prefs::User u = user("ralph");
  u.packages = {"zsh", "bodhi", "bodhi"};
  u.groups = {"infra-sig"};
  u.followed_users = {"lmacken"};
  RulePopulation population(Shard{});
  BuildReport report;
  auto built = population.build({u}, report);
  ASSERT_EQ(built.size(), 1u);
  const dsl::UserParams& p = built[0].params;
  EXPECT_EQ(p.me, "ralph");
  EXPECT_EQ(p.my_packages, (std::vector<std::string>{"bodhi", "zsh"}));  // normalised
  EXPECT_EQ(p.my_groups, std::vector<std::string>{"infra-sig"});
  EXPECT_EQ(p.followed_users, std::vector<std::string>{"lmacken"});
}

}  // namespace
}  // namespace fmn::pipeline
