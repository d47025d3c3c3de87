// `fmn-rulec eval --engine=interp|jit|auto`: the rules of a file evaluated by the rule engine
// (index, then the interpreter or native code) instead of one by one, so a rule author sees
// exactly what the service's matcher would do.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "dsl/program.h"
#include "dsl/user_params.h"

namespace fmn::rulec {

// Fills `matched` with the indices (in file order) of the rules that match a message.
using RuleMatcher = std::function<void(const Message&, std::vector<size_t>& matched)>;

// A matcher over an engine holding one user (`params`) with every rule of `rules`, built in
// `mode`: "interp", "jit" or "auto". REQUIRES: `rules` outlives the matcher.
Result<RuleMatcher> engine_matcher(const dsl::RuleSet& rules, const dsl::UserParams& params,
                                   std::string_view mode);

}  // namespace fmn::rulec
