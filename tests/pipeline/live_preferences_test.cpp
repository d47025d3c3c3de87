// The service's live preferences: a whole population, then one user's edit, reach matching;
// SSE feed tokens follow their owners; a store outage is shown, not fatal.
#include "pipeline/live_preferences.h"

#include <gtest/gtest.h>

#include "core/stored_secret.h"
#include "pipeline/engine_matcher.h"
#include "tests/codegen/test_corpus.h"

namespace fmn::pipeline {
namespace {

prefs::User user(std::string name, std::string rule_source, std::string feed = "") {
  prefs::User u;
  u.name = std::move(name);
  prefs::Destination email;
  email.name = "email";
  email.kind = DestinationKind::kEmail;
  email.address = u.name + "@example.org";
  u.destinations.push_back(email);
  if (!feed.empty()) {
    prefs::Destination sse;
    sse.name = "sse";
    sse.kind = DestinationKind::kSse;
    sse.address = feed;
    sse.token = "secret-of-" + u.name;
    u.destinations.push_back(sse);
  }
  prefs::Rule rule;
  rule.name = "watched";
  rule.source = std::move(rule_source);
  prefs::Delivery delivery;
  delivery.destination = "email";
  rule.deliveries.push_back(delivery);
  u.rules.push_back(rule);
  return u;
}

// How many notifications the first bodhi message of the corpus gives.
size_t bodhi_notifications(const engine::RuleEngine& engine) {
  for (const auto& m : testing_support::corpus_messages()) {
    if (m->topic.find(".bodhi.") == std::string_view::npos) continue;
    std::vector<Notification> out;
    EngineMatcher(engine).match(MessagePtr(std::shared_ptr<const Message>(), m.get()), out);
    return out.size();
  }
  return 0;
}

TEST(LivePreferences, AnEditOfOneUserIsLiveAndTheOthersStay) {
  auto engine = engine::RuleEngine::create(engine::EngineOptions{engine::EngineMode::kInterp});
  ASSERT_TRUE(engine.ok());
  LivePreferences live(*engine.value(), Shard{}, "test");
  live.replace({user("ralph", R"(topic ~ "*.bodhi.*")", "ralph-feed"),
                user("bowlofeggs", R"(topic ~ "*.bodhi.*")")});
  EXPECT_EQ(bodhi_notifications(*engine.value()), 2u);
  EXPECT_EQ(live.totals().users, 2u);
  EXPECT_EQ(live.loads(), 1u);
  EXPECT_TRUE(secret_matches(live.destination_secret(DestinationKind::kSse, "ralph-feed"),
                             "secret-of-ralph"));
  EXPECT_FALSE(secret_matches(live.destination_secret(DestinationKind::kSse, "ralph-feed"),
                              "secret-of-someone"));
  EXPECT_EQ(live.destination_secret(DestinationKind::kSse, "ralph-feed"), "secret-of-ralph");
  EXPECT_EQ(live.destination_secret(DestinationKind::kIrc, "ralph-feed"), "");

  // ralph narrows his rule and drops his feed; bowlofeggs is not touched.
  live.users_changed({{"ralph", user("ralph", R"(topic == "nothing")")}});
  EXPECT_EQ(bodhi_notifications(*engine.value()), 1u);
  EXPECT_FALSE(secret_matches(live.destination_secret(DestinationKind::kSse, "ralph-feed"),
                              "secret-of-ralph"));
  EXPECT_EQ(live.destination_secret(DestinationKind::kSse, "ralph-feed"), "");
  EXPECT_EQ(live.user_updates(), 1u);
  EXPECT_EQ(live.totals().users, 2u);

  live.users_changed({{"bowlofeggs", std::nullopt}});
  EXPECT_EQ(bodhi_notifications(*engine.value()), 0u);
  EXPECT_EQ(live.totals().users, 1u);
}

TEST(LivePreferences, AStoreOutageIsShownAndMatchingGoesOn) {
  auto engine = engine::RuleEngine::create(engine::EngineOptions{engine::EngineMode::kInterp});
  ASSERT_TRUE(engine.ok());
  LivePreferences live(*engine.value(), Shard{}, "test");
  live.replace({user("ralph", R"(topic ~ "*.bodhi.*")")});
  EXPECT_TRUE(live.store_healthy());
  live.store_status(false, "connection refused");
  EXPECT_FALSE(live.store_healthy());
  EXPECT_EQ(live.store_failures(), 1u);
  EXPECT_EQ(bodhi_notifications(*engine.value()), 1u);
  live.store_status(true, "reconnected");
  EXPECT_TRUE(live.store_healthy());
}

}  // namespace
}  // namespace fmn::pipeline
