#include "bench/match_population.h"

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "dsl/rule_compiler.h"
#include "prefs/dsl_rule_validator.h"

namespace fmn::bench {
namespace {

bool reads_param(const dsl::CompiledRule& rule, dsl::ParamId id) {
  auto is = [id](const dsl::OperandRef& o) {
    return o.kind == dsl::OperandRef::Kind::kParam && o.index == static_cast<uint32_t>(id);
  };
  return std::any_of(rule.atoms.begin(), rule.atoms.end(),
                     [&](const dsl::Atom& a) { return is(a.lhs) || is(a.rhs); });
}

}  // namespace

Result<EngineInput> engine_input(
    const prefs::Population& population,
    const std::map<std::string, std::vector<std::string>>& group_packages) {
  EngineInput input;
  dsl::RuleCompiler compiler(std::numeric_limits<size_t>::max());  // counts every distinct text
  input.users.reserve(population.users.size());
  engine::UserId next_id = 1;
  for (const prefs::User& u : population.users) {
    if (!u.enabled) continue;
    engine::UserRules& out = input.users.emplace_back();
    out.id = next_id++;
    out.name = u.name;
    out.params = prefs::rule_params(u);
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
    // Bound only for users whose rules read it, as the store has no such data for anyone.
    bool reads_group_packages = std::any_of(out.rules.begin(), out.rules.end(), [](const auto& r) {
      return reads_param(*r.rule, dsl::ParamId::kMyGroupPackages);
    });
    for (const std::string& g : u.groups) {
      auto owned = group_packages.find(g);
      if (!reads_group_packages || owned == group_packages.end()) continue;
      out.params.my_group_packages.insert(out.params.my_group_packages.end(), owned->second.begin(),
                                          owned->second.end());
    }
    out.params.normalize();
    input.postings += u.packages.size() + u.followed_users.size() + u.groups.size() +
                      u.followed_groups.size() + out.params.my_group_packages.size();
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
