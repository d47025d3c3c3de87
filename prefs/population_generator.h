// Synthetic populations for tests and benchmarks: N users with preferences shaped like real
// ones, drawn from the recorded corpus (usernames and packages from its ground truth) and
// Fedora's groups, in one of two profiles (docs/rule-engine.md, "Populations"):
// - fedora: calibrated on Fedora's public figures. A few thousand packagers maintain from one to
//   hundreds of packages each; everyone else follows few packages or none, so a package has a
//   handful of followers (heavy tail, small median). The corpus' usernames are packagers, so
//   "mentions me" fires as on the bus; some users follow people or their groups' packages; 1%
//   watch a topic.
// - stress: every package's popularity Zipf-skewed (the top one followed by about a third of all
//   users) and 20% topic watchers: hundreds of notifications per message, for fan-out stress.
//
// Most users keep FMN's two default rules (identical texts, as in the old FMN); some add rules
// from a handful of templates with corpus constants. Deterministic for a given seed and profile.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "prefs/model.h"

namespace fmn::prefs {

struct Vocabulary {
  std::vector<std::string> usernames;  // valid account names, most frequent first
  std::vector<std::string> packages;   // most frequent first
  std::vector<std::string> groups;
  std::vector<std::string> topics;  // topic suffixes ("bodhi.update.comment")
};

// Collects the vocabulary from `*.expected.jsonl` lines (corpus/README.md): their usernames,
// packages and topics, ranked by how often they occur. Malformed lines are skipped.
Vocabulary vocabulary_from_expected(std::string_view jsonl);

enum class PopulationProfile { kFedora, kStress };

std::string_view profile_name(PopulationProfile profile);
// "fedora" or "stress"; false for anything else.
bool parse_profile(std::string_view text, PopulationProfile& profile);

struct GeneratorOptions {
  size_t users = 1000;
  uint64_t seed = 1;
  PopulationProfile profile = PopulationProfile::kFedora;
};

Population generate_population(const Vocabulary& vocabulary, const GeneratorOptions& options);

// The packages each special-interest group of the population maintains (fedora profile; empty
// for stress). The store keeps no group ownership, so nothing fills $my_group_packages in the
// service yet: benchmarks fill it from this to exercise the "my groups' packages" rule.
std::map<std::string, std::vector<std::string>> group_packages(const Vocabulary& vocabulary,
                                                               const GeneratorOptions& options);

}  // namespace fmn::prefs
