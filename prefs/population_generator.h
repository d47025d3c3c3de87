// Synthetic populations for tests and benchmarks: N users with preferences shaped like real
// ones, drawn from the recorded corpus (usernames and packages from its ground truth) and
// Fedora's groups, with skewed popularity (Zipf): a few packages are followed by very many.
//
// Most users keep FMN's two default rules (identical texts, as in the old FMN); some add rules
// from a handful of templates with corpus constants. Deterministic for a given seed. Pure;
// thread-safe.
#pragma once

#include <cstdint>
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

struct GeneratorOptions {
  size_t users = 1000;
  uint64_t seed = 1;
  double zipf_exponent = 1.1;  // popularity skew of packages, groups and followed users
};

Population generate_population(const Vocabulary& vocabulary, const GeneratorOptions& options);

}  // namespace fmn::prefs
