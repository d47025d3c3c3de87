// Splitting a rule into what depends on the message only and what depends on the user.
//
// Most of a template rule is the same for every user: in FMN's defaults, `packages in
// $my_packages and not $me in usernames` depends on the user, the long noise exclusions
// (`not package_noise and not mutual_noise`) only on the message. The guard is the conjunction of
// the top-level `and` children that read no parameter; the residual is the rest. rule = guard and
// residual (a rule reading no parameter is all guard), so the engine evaluates the guard once per
// message per distinct rule and, when it holds, only the residual per candidate user: the cost of a
// match no longer includes the exclusions. Pure; thread-safe.
#pragma once

#include <memory>

#include "dsl/program.h"

namespace fmn::engine {

struct SplitRule {
  std::shared_ptr<const dsl::CompiledRule> guard;     // nullptr: nothing to hoist (always true)
  std::shared_ptr<const dsl::CompiledRule> residual;  // nullptr: reads no parameter at all
};

SplitRule split_rule(const std::shared_ptr<const dsl::CompiledRule>& rule);

// Whether the subtree at `node` reads a parameter or a named list (`lists_only`: one other than
// `$me`). REQUIRES: `rule` has nodes.
bool reads_params(const dsl::CompiledRule& rule, size_t node = 0, bool lists_only = false);

}  // namespace fmn::engine
