#include "bench/match_population.h"

#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "dsl/rule_compiler.h"

namespace fmn::bench {

Result<EngineInput> engine_input(const prefs::Population& population) {
  EngineInput input;
  dsl::RuleCompiler compiler(std::numeric_limits<size_t>::max());  // counts every distinct text
  input.users.reserve(population.users.size());
  engine::UserId next_id = 1;
  for (const prefs::User& u : population.users) {
    if (!u.enabled) continue;
    engine::UserRules& out = input.users.emplace_back();
    out.id = next_id++;
    out.name = u.name;
    out.params.me = u.name;
    out.params.my_packages = u.packages;
    out.params.followed_users = u.followed_users;
    out.params.my_groups = u.groups;
    out.params.normalize();
    input.postings +=
        u.packages.size() + u.followed_users.size() + u.groups.size() + u.followed_groups.size();
    for (const prefs::Destination& d : u.destinations)
      out.destinations.push_back({d.kind, d.address});
    for (const prefs::Rule& r : u.rules) {
      if (!r.enabled) continue;
      auto compiled = compiler.compile(r.source.view());
      if (!compiled->rule) {
        return Error{ErrorCode::kInvalidConfig, "rule \"" + r.name + "\" does not compile"};
      }
      uint32_t destinations = 0;
      for (const prefs::Delivery& d : r.deliveries) {
        for (size_t i = 0; i < u.destinations.size(); ++i) {
          if (u.destinations[i].name == d.destination) destinations |= 1u << i;
        }
      }
      out.rules.push_back(
          engine::RuleSpec{compiled->rule, static_cast<uint32_t>(input.rules), destinations});
      ++input.rules;
    }
  }
  input.distinct_rules = compiler.stats().compilations;
  return input;
}

Result<prefs::Vocabulary> bench_vocabulary(const std::string& corpus_file, size_t packages) {
  std::string expected = corpus_file;
  if (expected.ends_with(".jsonl")) expected.resize(expected.size() - 6);
  expected += ".expected.jsonl";
  std::ifstream in(expected);
  if (!in) return Error{ErrorCode::kIo, expected + ": cannot open"};
  std::stringstream text;
  text << in.rdbuf();
  prefs::Vocabulary v = prefs::vocabulary_from_expected(text.str());
  for (size_t i = 0; v.packages.size() < packages; ++i) {
    v.packages.push_back("synthetic-package-" + std::to_string(i));
  }
  return v;
}

}  // namespace fmn::bench
