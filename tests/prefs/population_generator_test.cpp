#include "prefs/population_generator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "prefs/dsl_rule_validator.h"
#include "prefs/toml_writer.h"
#include "prefs/validation.h"

namespace fmn::prefs {
namespace {

Vocabulary corpus_vocabulary() {
  std::ostringstream text;
  for (const char* name : {"/fedmsg-real.expected.jsonl", "/fedmsg-test-examples.expected.jsonl"}) {
    std::ifstream in(std::string(FMN_CORPUS_DIR) + name);
    text << in.rdbuf();
  }
  return vocabulary_from_expected(text.str());
}

TEST(PopulationGenerator, VocabularyComesFromTheCorpus) {
  Vocabulary v = corpus_vocabulary();
  EXPECT_GT(v.usernames.size(), 40u);
  EXPECT_GT(v.packages.size(), 50u);
  EXPECT_GT(v.topics.size(), 100u);
  EXPECT_NE(std::find(v.usernames.begin(), v.usernames.end(), "ralph"), v.usernames.end());
  EXPECT_NE(std::find(v.topics.begin(), v.topics.end(), "bodhi.update.comment"), v.topics.end());
}

TEST(PopulationGenerator, ProducesValidSkewedDeterministicPopulations) {
  Vocabulary v = corpus_vocabulary();
  GeneratorOptions stress{.users = 3000, .seed = 7, .profile = PopulationProfile::kStress};
  Population population = generate_population(v, stress);
  ASSERT_EQ(population.users.size(), 3000u);
  auto diagnostics = validate_population(population, dsl_rule_validator());
  ASSERT_FALSE(has_errors(diagnostics)) << render_text(diagnostics, "");

  std::map<std::string, size_t> followers;
  std::set<std::string_view> sources;
  size_t rules = 0;
  for (const auto& u : population.users) {
    for (const auto& p : u.packages) ++followers[p];
    for (const auto& r : u.rules) sources.insert(r.source.view()), ++rules;
  }
  std::vector<size_t> counts;
  for (const auto& [p, n] : followers) counts.push_back(n);
  std::sort(counts.rbegin(), counts.rend());
  EXPECT_GT(counts.front(), 10 * counts[counts.size() / 2]) << "popularity is skewed";
  EXPECT_LT(sources.size() * 5, rules) << "most rules share their text";

  Population again = generate_population(v, stress);
  EXPECT_EQ(write_preferences_toml(again), write_preferences_toml(population));
  Population other = generate_population(v, {.users = 3000, .seed = 8, .profile = stress.profile});
  EXPECT_NE(write_preferences_toml(other), write_preferences_toml(population));
}

// Fedora's shape (docs/rule-engine.md, "Populations"), over a universe of Fedora's size.
TEST(PopulationGenerator, FedoraProfileHasFewFollowersPerPackageAndMentionsTheCorpusPeople) {
  Vocabulary v = corpus_vocabulary();
  for (size_t i = 0; v.packages.size() < 25000; ++i)
    v.packages.push_back("pkg-" + std::to_string(i));
  GeneratorOptions options{.users = 20000, .seed = 3};
  ASSERT_EQ(options.profile, PopulationProfile::kFedora) << "the default";
  Population population = generate_population(v, options);
  auto diagnostics = validate_population(population, dsl_rule_validator());
  ASSERT_FALSE(has_errors(diagnostics)) << render_text(diagnostics, "");

  std::map<std::string, size_t> followers;
  std::map<std::string, size_t> rules_named;
  size_t following_nothing = 0;
  for (const auto& u : population.users) {
    for (const auto& p : u.packages) ++followers[p];
    if (u.packages.empty()) ++following_nothing;
    for (const auto& r : u.rules) ++rules_named[r.name];
  }
  std::vector<size_t> counts;
  for (const auto& [p, n] : followers) counts.push_back(n);
  std::sort(counts.begin(), counts.end());
  EXPECT_LE(counts[counts.size() / 2], 3u) << "a package has a handful of followers";
  EXPECT_GT(counts.back(), 10 * counts[counts.size() / 2]) << "heavy-tailed";
  EXPECT_GT(following_nothing, population.users.size() / 2) << "most follow no package";
  for (const std::string& name : v.usernames) {
    EXPECT_NE(population.find(name), nullptr) << name << " is mentioned on the bus";
  }
  // About 1% watch a topic; some follow people and their groups' packages.
  EXPECT_GT(rules_named["topic watch"], population.users.size() / 200);
  EXPECT_LT(rules_named["topic watch"], population.users.size() / 50);
  EXPECT_GT(rules_named["people I follow"], 0u);
  EXPECT_GT(rules_named["my groups' packages"], 0u);
  auto owned = group_packages(v, options);
  EXPECT_FALSE(owned.empty());
  EXPECT_TRUE(group_packages(v, {.profile = PopulationProfile::kStress}).empty());

  PopulationProfile parsed = PopulationProfile::kFedora;
  EXPECT_TRUE(parse_profile("stress", parsed));
  EXPECT_EQ(profile_name(parsed), "stress");
  EXPECT_FALSE(parse_profile("fedora-ish", parsed));
}

}  // namespace
}  // namespace fmn::prefs
