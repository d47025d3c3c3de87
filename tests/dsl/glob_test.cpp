// Glob matching agrees with a plain recursive matcher on every pattern and text over a small
// alphabet, whichever way the pattern is compiled (one comparison, a search a literal between
// stars, or the backtracking scan for `?`).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "dsl/glob.h"

namespace fmn::dsl {
namespace {

// `*` any run of bytes, `?` one byte (the alphabet below is ASCII), anything else itself.
bool reference(std::string_view p, std::string_view t) {
  if (p.empty()) return t.empty();
  if (p[0] == '*') {
    for (size_t skip = 0; skip <= t.size(); ++skip) {
      if (reference(p.substr(1), t.substr(skip))) return true;
    }
    return false;
  }
  if (t.empty() || (p[0] != '?' && p[0] != t[0])) return false;
  return reference(p.substr(1), t.substr(1));
}

// Every string of up to `max` characters of `alphabet`.
std::vector<std::string> all_strings(std::string_view alphabet, size_t max) {
  std::vector<std::string> out{""};
  for (size_t from = 0; from < out.size(); ++from) {
    if (out[from].size() == max) continue;
    for (char c : alphabet) out.push_back(out[from] + c);
  }
  return out;
}

TEST(Glob, AgreesWithARecursiveMatcher) {
  const std::vector<std::string> patterns = all_strings("ab.*?", 5);
  const std::vector<std::string> texts = all_strings("ab.", 6);
  size_t general = 0, matched = 0;
  for (const std::string& p : patterns) {
    const Glob glob(p);
    general += glob.kind() == Glob::Kind::kGeneral;
    for (const std::string& t : texts) {
      const bool expected = reference(p, t);
      ASSERT_EQ(glob.matches(t), expected) << "pattern '" << p << "', text '" << t << "'";
      matched += expected;
    }
  }
  EXPECT_GT(general, patterns.size() / 4);  // the patterns that are not one comparison
  EXPECT_GT(matched, 10000u);
}

TEST(Glob, StarsBetweenTopicParts) {
  const Glob glob("*.*.*.summershum.*");
  EXPECT_EQ(glob.kind(), Glob::Kind::kGeneral);
  EXPECT_TRUE(glob.matches("org.fedoraproject.prod.summershum.ingest.complete"));
  EXPECT_FALSE(glob.matches("org.fedoraproject.summershum.ingest"));
  EXPECT_FALSE(glob.matches("org.fedoraproject.prod.summershum"));
}

}  // namespace
}  // namespace fmn::dsl
