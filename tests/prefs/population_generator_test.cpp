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
  Population population = generate_population(v, {.users = 3000, .seed = 7});
  ASSERT_EQ(population.users.size(), 3000u);
  auto diagnostics = validate_population(population, dsl_rule_validator());
  ASSERT_FALSE(has_errors(diagnostics)) << render(diagnostics, "");

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

  Population again = generate_population(v, {.users = 3000, .seed = 7});
  EXPECT_EQ(write_preferences_toml(again), write_preferences_toml(population));
  Population other = generate_population(v, {.users = 3000, .seed = 8});
  EXPECT_NE(write_preferences_toml(other), write_preferences_toml(population));
}

}  // namespace
}  // namespace fmn::prefs
